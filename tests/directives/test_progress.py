import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from citysoc.directives import issuing
from citysoc.directives.models import Assignment, Evidence
from citysoc.directives.progress import build_matrix
from tests import factories

TODAY = dt.date(2027, 1, 20)


@pytest.fixture
def directive(city, unit_a, unit_b, isp, city_admin):
    d = factories.make_directive(city, recipient_kinds=["ward", "isp"])
    d.items.filter(order=1).update(evidence_required=True)
    d.items.filter(order=2).update(due_date=TODAY - dt.timedelta(days=1))
    issuing.issue(d, by=city_admin)

    def set_status(unit, order, status, **extra):
        d.assignments.filter(unit=unit, item__order=order).update(status=status, **extra)

    set_status(unit_a, 1, "done")
    set_status(unit_a, 2, "not_applicable", reason="không có máy chủ")
    set_status(unit_b, 1, "done")
    set_status(unit_b, 2, "in_progress")
    set_status(isp, 2, "done")
    a1 = d.assignments.get(unit=unit_a, item__order=1)
    Evidence.objects.create(assignment=a1, unit=unit_a, file=ContentFile(b"x", "e.txt"))
    return d


def _percents(matrix):
    return {row.unit.code: row.percent for row in matrix.rows}


def test_the_matrix_counts_done_and_not_applicable_as_complete(directive):
    matrix = build_matrix(directive, Assignment.objects.all(), today=TODAY)
    assert _percents(matrix) == {"ward-a": 100, "ward-b": 50, "isp-vnpt": 50}
    assert matrix.item_percents == [67, 67]
    assert matrix.percent == 67


def test_the_matrix_filters_overdue_missing_evidence_and_kind(directive):
    everyone = Assignment.objects.all()
    overdue = build_matrix(directive, everyone, today=TODAY, overdue_only=True)
    assert set(_percents(overdue)) == {"ward-b"}
    missing = build_matrix(directive, everyone, today=TODAY, missing_evidence_only=True)
    assert set(_percents(missing)) == {"ward-b"}
    isps = build_matrix(directive, everyone, today=TODAY, kind="isp")
    assert set(_percents(isps)) == {"isp-vnpt"}


def test_a_unit_sees_only_its_own_row(directive, officer_a):
    mine = Assignment.objects.visible_to(officer_a)
    matrix = build_matrix(directive, mine, today=TODAY)
    assert _percents(matrix) == {"ward-a": 100}


def test_the_matrix_page_shows_the_percentages(client, city_admin, directive):
    # The page judges "overdue" against today's date, whatever day the test runs.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    directive.items.filter(order=2).update(due_date=yesterday)
    client.force_login(city_admin)
    page = client.get(f"/directives/{directive.pk}/matrix/?overdue=on").content.decode()
    assert "Phường Nam Sơn" in page and "Phường Bắc Sơn" not in page
    assert "50%" in page
