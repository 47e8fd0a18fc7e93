"""Rosters for the duty tests: ward A's Tết 2025 roster with day and night shifts."""

from __future__ import annotations

import datetime as dt

import pytest

from citysoc.core.models import Person
from citysoc.duty.models import Layer, Roster, Shift

TET_2025 = dt.date(2025, 1, 29)


def make_roster(unit, first: dt.date, last: dt.date, day=(), night=(), name="Lịch trực Tết"):
    roster = Roster.objects.create(unit=unit, name=name, starts_on=first, ends_on=last)
    layer = Layer.objects.create(roster=roster, name="Ca chính", level=1)
    for shift_name, start, end, people in (("Ca ngày", 7, 19, day), ("Ca đêm", 19, 7, night)):
        shift = Shift.objects.create(
            roster=roster, layer=layer, name=shift_name, start_time=dt.time(start),
            end_time=dt.time(end),
        )  # fmt: skip
        shift.people.set(people)
    return roster


@pytest.fixture
def duty_people(unit_a, officer_a, operator_a):
    """Two people with logins (A's admin and operator) and two without, all of ward A."""
    return {
        "hai": Person.objects.get(user=officer_a),
        "mai": Person.objects.get(user=operator_a),
        "lam": Person.objects.create(unit=unit_a, full_name="Đỗ Văn Lâm", phone="0913 100 003"),
        "huong": Person.objects.create(unit=unit_a, full_name="Trịnh Thu Hương"),
    }


@pytest.fixture
def tet_roster(unit_a, duty_people):
    """27/01/2025 – 02/02/2025: days Hải and Mai, nights Lâm."""
    return make_roster(
        unit_a,
        TET_2025 - dt.timedelta(days=2),
        TET_2025 + dt.timedelta(days=4),
        day=[duty_people["hai"], duty_people["mai"]],
        night=[duty_people["lam"]],
    )
