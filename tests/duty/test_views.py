import datetime as dt

import pytest

from citysoc.duty.models import Layer, Override, Roster, Shift
from tests.duty.conftest import TET_2025, make_roster


def test_a_tet_roster_is_created_from_the_lunar_calendar(client, officer_a, unit_a):
    client.force_login(officer_a)
    response = client.post(
        "/duty/rosters/new/",
        {
            "unit": unit_a.pk,
            "name": "Lịch trực Tết Bính Ngọ",
            "preset": "tet",
            "tet_year": 2026,
            "days_before": 2,
            "days_after": 6,
            "twelve_hour_shifts": "on",
        },
    )
    roster = Roster.objects.get()
    assert response.url == f"/duty/rosters/{roster.pk}/"
    assert (roster.starts_on, roster.ends_on) == (dt.date(2026, 2, 15), dt.date(2026, 2, 23))
    hours = sorted((s.start_time.hour, s.end_time.hour) for s in roster.shifts.all())
    assert hours == [(7, 19), (19, 7)]
    assert Layer.objects.filter(roster=roster).count() == 1


def test_dates_are_required_without_the_preset(client, officer_a, unit_a):
    client.force_login(officer_a)
    response = client.post("/duty/rosters/new/", {"unit": unit_a.pk, "name": "x"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"starts_on", "ends_on"}
    assert not Roster.objects.exists()


def test_a_ward_officer_cannot_make_a_roster_for_another_ward(client, officer_a, unit_b):
    client.force_login(officer_a)
    response = client.post(
        "/duty/rosters/new/",
        {"unit": unit_b.pk, "name": "x", "starts_on": "01/02/2025", "ends_on": "02/02/2025"},
    )
    assert "unit" in response.context["form"].errors
    assert not Roster.objects.exists()


def test_shift_form_adds_people_and_the_roster_shows_the_gap(
    client, officer_a, unit_a, duty_people
):
    roster = make_roster(unit_a, TET_2025, TET_2025, day=[duty_people["hai"]])
    client.force_login(officer_a)
    page = client.get(f"/duty/rosters/{roster.pk}/?month=2025-01", HTTP_ACCEPT_LANGUAGE="en")
    gaps = page.context["gaps"]
    assert len(gaps) == 2  # 00:00–07:00 and 19:00–24:00 of Tết: the night has nobody
    layer = roster.layers.get()
    response = client.post(
        f"/duty/rosters/{roster.pk}/shifts/new/",
        {
            "layer": layer.pk,
            "name": "Ca đêm bổ sung",
            "repeat": "daily",
            "start_time": "19:00",
            "end_time": "07:00",
            "people": [duty_people["lam"].pk],
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/duty/rosters/{roster.pk}/overrides/new/",
        {
            "person": duty_people["huong"].pk,
            "starts_at": "29/01/2025 00:00",
            "ends_at": "29/01/2025 07:00",
            "reason": "Trực thay",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/duty/rosters/{roster.pk}/?month=2025-01")
    assert page.context["gaps"] == []
    assert Override.objects.get().person == duty_people["huong"]
    assert "Trịnh Thu Hương" in page.content.decode()


def test_a_weekly_shift_needs_weekdays(client, officer_a, tet_roster):
    client.force_login(officer_a)
    response = client.post(
        f"/duty/rosters/{tet_roster.pk}/shifts/new/",
        {"layer": tet_roster.layers.get().pk, "name": "x", "repeat": "weekly",
         "start_time": "08:00", "end_time": "17:00"},
    )  # fmt: skip
    assert "weekdays" in response.context["form"].errors
    assert Shift.objects.filter(name="x").count() == 0


def test_a_viewer_reads_the_roster_but_cannot_edit(client, viewer_a, tet_roster):
    client.force_login(viewer_a)
    assert client.get(f"/duty/rosters/{tet_roster.pk}/").status_code == 200
    assert client.get(f"/duty/rosters/{tet_roster.pk}/shifts/new/").status_code == 403
    assert client.post(f"/duty/rosters/{tet_roster.pk}/edit/", {"name": "x"}).status_code == 403


@pytest.mark.parametrize("view", ["month", "week"])
def test_the_calendar_grid_shows_people_and_gaps(client, officer_a, unit_a, duty_people, view):
    roster = make_roster(unit_a, TET_2025, TET_2025, day=[duty_people["hai"]])
    client.force_login(officer_a)
    page = client.get(f"/duty/rosters/{roster.pk}/?view={view}&month=2025-01&week=2025-01-29")
    weeks = page.context["calendar"]["weeks"]
    tet = next(d for w in weeks for d in w if d.date == TET_2025)
    assert [(s.label, s.gap) for s in tet.slots] == [
        ("00:00–07:00", True),
        ("07:00–19:00", False),
        ("19:00–24:00", True),
    ]
    assert len(weeks) == (5 if view == "month" else 1)


def test_the_board_highlights_units_with_nobody(client, city_admin, unit_a, unit_b, tet_roster):
    client.force_login(city_admin)
    page = client.get("/duty/board/", HTTP_ACCEPT_LANGUAGE="en")
    rows = {r.unit.code: r for r in page.context["rows"]}
    assert set(rows) == {"city", "ward-a", "ward-b"}
    assert rows["ward-b"].uncovered and not rows["ward-b"].has_roster


def test_home_page_lists_rosters_and_my_units(client, officer_a, tet_roster):
    client.force_login(officer_a)
    page = client.get("/duty/")
    assert page.status_code == 200
    assert [r.unit.code for r in page.context["rows"]] == ["ward-a"]
    assert tet_roster in page.context["past"]
