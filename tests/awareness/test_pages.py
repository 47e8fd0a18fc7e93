"""The awareness list pages stay a handful of queries however many rows they show."""

from __future__ import annotations

import datetime as dt

import pytest

from citysoc.awareness import drills, programmes
from citysoc.awareness.models import Drill, Programme
from citysoc.core.models import Person
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(unit_a):
    people = [Person.objects.create(unit=unit_a, full_name=f"P{i}", email=f"p{i}@example.vn")
              for i in range(6)]  # fmt: skip
    course = factories.make_course()
    for n in range(4):
        programme = Programme.objects.create(unit=unit_a, name=f"Chương trình {n}",
                                             starts_on=dt.date(2026, 1, 5))  # fmt: skip
        programme.courses.add(course)
        programme.audience_units.add(unit_a)
        programmes.assign(programme, today=dt.date(2026, 1, 5))
        drill = factories.make_drill(unit_a, name=f"Diễn tập {n}")
        drills.add_targets(drill, people)
        for target in drill.targets.all()[:2]:
            drills.record(target, "clicked")


@pytest.mark.parametrize(
    "path", ["/awareness/", "/awareness/programmes/", "/awareness/drills/", "/awareness/courses/"]
)
def test_list_pages_use_few_queries(client, officer_a, busy, path, django_assert_max_num_queries):
    client.force_login(officer_a)
    with django_assert_max_num_queries(15):
        assert client.get(path).status_code == 200


def test_detail_pages_use_few_queries(client, officer_a, busy, django_assert_max_num_queries):
    client.force_login(officer_a)
    programme, drill = Programme.objects.first(), Drill.objects.first()
    for path in (f"/awareness/programmes/{programme.pk}/", f"/awareness/drills/{drill.pk}/"):
        with django_assert_max_num_queries(15):
            assert client.get(path).status_code == 200
