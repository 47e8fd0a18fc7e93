"""The duty area in the tenancy sweep: a ward's roster (layer, shift, override, swap),
its duty log entry and handover, all running now so the boards show them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from citysoc.core.models import Person
from citysoc.duty import logbook, swaps
from citysoc.duty.models import Handover, Layer, Override, Roster, Shift

MODELS = {
    "rosters": "roster",
    "layers": "layer",
    "shifts": "shift",
    "overrides": "override",
    "swaps": "swaprequest",
    "handovers": "handover",
    "duty-log": "logentry",
}
NOT_UNIT_OBJECTS = {
    "duty:ical": "a signed calendar token (calendar apps cannot log in), not a unit's object",
}


def build(unit, officer, letter: str, third_octets: str) -> dict[str, int]:
    today = timezone.localdate()
    first = Person.objects.create(unit=unit, full_name=f"MARK-{letter} trực một", phone="0900")
    second = Person.objects.create(unit=unit, full_name=f"MARK-{letter} trực hai")
    roster = Roster.objects.create(
        unit=unit,
        name=f"MARK-{letter} lịch trực",
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=5),
    )
    layer = Layer.objects.create(roster=roster, name=f"MARK-{letter} lớp", level=1)
    shift = Shift.objects.create(
        roster=roster,
        layer=layer,
        name=f"MARK-{letter} ca",
        start_time=dt.time(7),
        end_time=dt.time(7),
    )
    shift.people.set([first])
    start = timezone.now() + dt.timedelta(days=2)
    override = Override.objects.create(
        roster=roster,
        person=second,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        reason=f"MARK-{letter} thay ca",
    )
    swap = swaps.request_swap(
        shift, today + dt.timedelta(days=1), first, second, note=f"MARK-{letter} đổi ca"
    )
    entry = logbook.write(unit, officer, checked=f"MARK-{letter} kiểm tra", seen="ok")
    handover = Handover.objects.create(
        unit=unit, from_person=first, to_person=second, note=f"MARK-{letter} bàn giao"
    )
    return {
        "roster": roster.pk,
        "layer": layer.pk,
        "shift": shift.pk,
        "override": override.pk,
        "swaprequest": swap.pk,
        "logentry": entry.pk,
        "handover": handover.pk,
    }
