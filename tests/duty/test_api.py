import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from citysoc.duty.models import LogEntry
from tests.duty.conftest import TET_2025, make_roster


@pytest.fixture
def b_roster(unit_b, duty_people):
    from citysoc.core.models import Person

    other = Person.objects.create(unit=unit_b, full_name="Người trực B")
    return make_roster(unit_b, TET_2025, TET_2025, day=[other], night=[other], name="Lịch B")


def test_rosters_list_only_the_users_units_with_who_is_on_duty_now(
    client, officer_a, tet_roster, b_roster
):
    client.force_login(officer_a)
    noon = timezone.make_aware(dt.datetime.combine(TET_2025, dt.time(12)))
    with time_machine.travel(noon, tick=False):
        data = client.get("/api/rosters/").json()
        other = client.get(f"/api/rosters/{b_roster.pk}/")
    assert [(r["unit"], r["name"]) for r in data["results"]] == [("ward-a", "Lịch trực Tết")]
    assert [p["full_name"] for p in data["results"][0]["on_duty_now"]] == [
        "Officer_A",
        "Operator_A",
    ]
    assert {s["name"] for s in data["results"][0]["shifts"]} == {"Ca ngày", "Ca đêm"}
    assert other.status_code == 404


def test_the_city_reads_every_roster(client, city_admin, tet_roster, b_roster):
    client.force_login(city_admin)
    data = client.get("/api/rosters/").json()
    assert {r["unit"] for r in data["results"]} == {"ward-a", "ward-b"}


def test_an_editor_adds_a_log_entry_for_own_unit_only(client, officer_a, unit_a, unit_b):
    client.force_login(officer_a)
    response = client.post(
        "/api/duty-log/",
        {"unit": "ward-a", "checked": "Kiểm tra tường lửa", "seen": "Bình thường"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["person"] == "Officer_A"
    refused = client.post(
        "/api/duty-log/", {"unit": "ward-b", "checked": "x"}, content_type="application/json"
    )
    assert refused.status_code == 400  # ward B is not a unit this user can name
    assert LogEntry.objects.count() == 1


def test_a_viewer_reads_but_cannot_write(client, viewer_a, officer_b, unit_a, unit_b):
    LogEntry.objects.create(unit=unit_a, checked="A's entry")
    LogEntry.objects.create(unit=unit_b, checked="B's entry")
    client.force_login(viewer_a)
    assert [e["checked"] for e in client.get("/api/duty-log/").json()["results"]] == ["A's entry"]
    response = client.post(
        "/api/duty-log/", {"unit": "ward-a", "checked": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "ward-a" in response.json()["detail"]


def test_entries_are_not_changed_over_the_api(client, officer_a, unit_a):
    entry = LogEntry.objects.create(unit=unit_a, checked="A's entry")
    client.force_login(officer_a)
    assert client.delete(f"/api/duty-log/{entry.pk}/").status_code == 405
    assert (
        client.patch(f"/api/duty-log/{entry.pk}/", {}, content_type="application/json").status_code
        == 405
    )
