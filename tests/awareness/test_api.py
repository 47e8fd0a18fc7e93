"""`/api/courses/`, `/api/programmes/`, `/api/drills/`: the city's courses, each unit's own
programmes and drills with their figures; another ward's answer 404."""

from __future__ import annotations

import datetime as dt

import pytest

from citysoc.awareness import drills, programmes
from citysoc.awareness.models import Programme
from citysoc.core.models import Person
from tests import factories

pytestmark = pytest.mark.django_db


def test_courses_are_listed_for_every_logged_in_user(client, officer_b):
    factories.make_course(slug="tet", questions=3)
    client.force_login(officer_b)
    rows = client.get("/api/courses/").json()["results"]
    assert [(r["slug"], r["questions"], r["lessons"]) for r in rows] == [("tet", 3, 1)]


def test_programmes_carry_completion_and_stay_in_their_unit(client, officer_a, officer_b, unit_a):
    Person.objects.create(unit=unit_a, full_name="Cán bộ", email="cb@example.gov.vn")
    programme = Programme.objects.create(unit=unit_a, name="Tết", starts_on=dt.date(2026, 1, 5))
    programme.courses.add(factories.make_course())
    programme.audience_units.add(unit_a)
    programmes.assign(programme)
    client.force_login(officer_a)
    row = client.get("/api/programmes/").json()["results"][0]
    assert row["unit"] == "ward-a" and row["completion"][0]["total"] == 2
    client.force_login(officer_b)
    assert client.get("/api/programmes/").json()["results"] == []
    assert client.get(f"/api/programmes/{programme.pk}/").status_code == 404


def test_drills_carry_their_results(
    client, officer_a, officer_b, unit_a, django_assert_max_num_queries
):
    for _ in range(3):
        drill = factories.make_drill(unit_a)
        drills.add_targets(drill, Person.objects.filter(unit=unit_a))
        drills.record(drill.targets.first(), "clicked")
    client.force_login(officer_a)
    with django_assert_max_num_queries(12):
        rows = client.get("/api/drills/").json()["results"]
    assert len(rows) == 3 and rows[0]["results"]["clicked"] == 1
    client.force_login(officer_b)
    assert client.get(f"/api/drills/{drill.pk}/").status_code == 404
