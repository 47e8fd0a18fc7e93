"""The work page ("Việc cần làm"), its API and the work registry's convention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from citysoc.core import work
from citysoc.core.models import Unit
from tests.core import work_world

AREAS_ON_MAIN = {
    "intel",
    "directives",
    "compliance",
    "webwatch",
    "duty",
    "alerts",
    "vulns",
    "awareness",
    "incidents",
    "sweep",
}


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def two_wards(unit_a, unit_b, officer_a, officer_b, today, settings):
    settings.LANGUAGE_CODE = "en"
    work_world.build(unit_a, officer_a, "A", today=today, ip="192.0.2.7")
    work_world.build(unit_b, officer_b, "B", today=today, ip="198.51.100.7")
    work_world.botnet_list("192.0.2.7", "198.51.100.7")


def test_every_registered_provider_returns_only_the_given_units_items(two_wards, unit_a, today):
    units = Unit.objects.filter(pk=unit_a.pk)
    seen = set()
    for area in work.registered():
        items = list(area.provider(units, today))
        assert {i.unit_id for i in items} <= {unit_a.pk}, area.key
        assert all(i.area == area.key for i in items), area.key
        seen |= {i.area for i in items}
    assert seen >= AREAS_ON_MAIN


def test_the_page_shows_only_the_wards_items_across_areas_in_due_date_order(
    client_as, two_wards, officer_a, today, django_assert_max_num_queries
):
    client = client_as(officer_a)
    with django_assert_max_num_queries(40):
        response = client.get("/work/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "MARK-B" not in body and "MARK-A" in body
    assert body.index('data-group="overdue"') < body.index('data-group="this_week"')
    assert body.index('data-group="this_week"') < body.index('data-group="later"')
    assert 'data-area="directives"' in body and 'data-area="compliance"' in body


def test_the_api_gives_the_callers_items_sorted_by_due_date(client_as, two_wards, officer_b):
    data = client_as(officer_b).get("/api/my-work/").json()
    rows = data["results"]
    assert data["count"] == len(rows) > 0
    assert {r["unit"] for r in rows} == {"Phường Nam Sơn"}
    dues = [r["due"] for r in rows if r["due"]]
    assert dues == sorted(dues)
    assert rows[0]["group"] == "overdue"
    assert {r["area"] for r in rows} >= AREAS_ON_MAIN


def test_the_city_sees_every_units_items_and_can_pick_one(client_as, two_wards, city_admin):
    client = client_as(city_admin)
    rows = client.get("/api/my-work/").json()["results"]
    assert {r["unit"] for r in rows} == {"Phường Bắc Sơn", "Phường Nam Sơn"}
    rows = client.get("/api/my-work/?unit=ward-a").json()["results"]
    assert {r["unit"] for r in rows} == {"Phường Bắc Sơn"}


def test_the_landing_page_shows_the_work_box(client_as, two_wards, officer_a):
    body = client_as(officer_a).get("/").content.decode()
    assert "data-work-box" in body
    assert "MARK-B" not in body


def test_a_new_area_adds_itself_without_editing_the_page(client_as, officer_a, unit_a, today):
    def provider(units, today):
        for unit in units:
            yield work.WorkItem(
                unit_id=unit.pk,
                unit_name=unit.name,
                area="drills",
                kind="drill",
                title="Run the phishing drill",
                due=today + dt.timedelta(days=1),
                url="/somewhere/",
                action="Start",
            )

    work.register("drills", provider, label="Drills")
    try:
        body = client_as(officer_a).get("/work/").content.decode()
    finally:
        work._AREAS.pop("drills")
    assert "Run the phishing drill" in body and 'href="/somewhere/"' in body
