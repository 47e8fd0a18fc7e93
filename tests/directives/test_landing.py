"""The directives box on the landing dashboard."""

import datetime as dt

import pytest
from django.utils import timezone

from citysoc.directives import issuing
from citysoc.directives.landing import box_for
from tests import factories


@pytest.fixture
def two_directives(city, unit_a, unit_b, city_admin):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    late = factories.make_directive(city, subject="V/v Tết", recipient_kinds=["ward"])
    late.items.filter(order=1).update(due_date=yesterday)
    issuing.issue(late, by=city_admin)
    late.assignments.filter(unit=unit_b).update(status="done")
    later = factories.make_directive(city, subject="V/v website", items=1, recipient_kinds=["ward"])
    issuing.issue(later, by=city_admin)
    factories.make_directive(city, subject="V/v bản nháp", recipient_kinds=["ward"])
    return late, later


def test_a_unit_user_sees_their_open_assignments_soonest_first(two_directives, officer_a):
    late, later = two_directives
    box = box_for(officer_a)
    assert not box.is_city
    assert (box.open_count, box.overdue_count) == (3, 1)
    first, overdue = box.assignments[0]
    assert (first.directive, first.item.order, overdue) == (late, 1, True)
    assert {a.unit.code for a, _ in box.assignments} == {"ward-a"}


@pytest.mark.parametrize("who", ["city_admin", "viewer"])
def test_the_city_sees_each_issued_directives_progress(two_directives, who, request):
    box = box_for(request.getfixturevalue(who))
    assert box.is_city
    progress = {p.directive.subject: (p.percent, p.overdue) for p in box.directives}
    assert progress == {"V/v Tết": (50, 1), "V/v website": (0, 0)}


def test_the_landing_page_shows_a_unit_its_assignments_and_the_city_its_directives(
    client, two_directives, officer_a, officer_b, city_admin
):
    late, later = two_directives
    client.force_login(officer_a)
    page = client.get("/").content.decode()
    assert "data-directives-box" in page
    mine = late.assignments.get(unit__code="ward-a", item__order=1)
    assert f'href="/directives/assignments/{mine.pk}/"' in page
    client.force_login(officer_b)
    page = client.get("/").content.decode()
    assert f"/directives/assignments/{mine.pk}/" not in page
    assert page.count("data-assignment=") == 1  # ward B answered the Tết items already
    client.force_login(city_admin)
    page = client.get("/").content.decode()
    assert f'data-directive="{late.pk}"' in page and f'data-directive="{later.pk}"' in page
    assert "V/v bản nháp" not in page
    assert f"/directives/{late.pk}/matrix/?overdue=on" in page
