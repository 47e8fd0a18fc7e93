"""Who is on duty: the public interface other areas (alert escalation) rely on.

Keep these signatures as they are:

- `on_duty(unit, at=None) -> list[Person]`
- `city_duty_officers(at=None) -> list[Person]`
- `gaps(roster, start=None, end=None) -> list[tuple[datetime, datetime]]`

and `board(units, at)` for the city's "on duty now" page (every unit in a few queries).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from citysoc.core.models import Person, Unit
from citysoc.duty import rosters, schedule
from citysoc.duty.models import Roster

# How far the board looks for the next change of people on duty.
NEXT_HORIZON = dt.timedelta(days=2)


def _people(ids) -> list[Person]:
    found = rosters.people_by_id(ids)
    return sorted((found[i] for i in ids if i in found), key=lambda p: (p.full_name, p.pk))


def on_duty(unit: Unit, at: dt.datetime | None = None) -> list[Person]:
    """The people on duty for `unit` at `at` (now by default), after layers, overrides and
    accepted swaps, over all the unit's rosters; [] when nobody is."""
    at = at or timezone.now()
    rules = rosters.unit_rosters([unit], at, at + dt.timedelta(seconds=1)).get(unit.pk, [])
    ids: set[int] = set()
    for r in rules:
        ids |= schedule.on_duty_at(r, at)
    return _people(ids)


def city_root() -> Unit | None:
    return Unit.objects.filter(parent__isnull=True).order_by("pk").first()


def city_duty_officers(at: dt.datetime | None = None) -> list[Person]:
    """The people on duty on the city's (the root unit's) rosters at `at`."""
    root = city_root()
    return on_duty(root, at) if root else []


def gaps(
    roster: Roster, start: dt.datetime | None = None, end: dt.datetime | None = None
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The intervals of `roster`'s period (or of [start, end) within it) with nobody on duty."""
    rules = rosters.load(Roster.objects.filter(pk=roster.pk))
    return schedule.gaps(rules[0], start, end) if rules else []


@dataclass
class BoardRow:
    """One unit on the board: who is on duty now, until when, and who comes next."""

    unit: Unit
    has_roster: bool
    now: list[Person] = field(default_factory=list)
    until: dt.datetime | None = None
    next: list[Person] = field(default_factory=list)
    next_at: dt.datetime | None = None

    @property
    def uncovered(self) -> bool:
        return not self.now


def board(units: Iterable[Unit], at: dt.datetime | None = None) -> list[BoardRow]:
    """For every unit: who is on duty at `at` and who is next (within NEXT_HORIZON)."""
    at = at or timezone.now()
    units = list(units)
    grouped = rosters.unit_rosters(units, at, at + NEXT_HORIZON)
    rows: list[BoardRow] = []
    ids: list[tuple[list[int], list[int]]] = []  # each row's people now and next, by id
    wanted: set[int] = set()
    for unit in units:
        rules = grouped.get(unit.pk, [])
        row = BoardRow(unit=unit, has_roster=bool(rules))
        now_ids: list[int] = []
        next_ids: list[int] = []
        segments = schedule.merged(rules, at, at + NEXT_HORIZON) if rules else []
        if segments and segments[0].start <= at:
            now_ids, row.until = list(segments[0].people), segments[0].end
            if row.until >= at + NEXT_HORIZON:
                row.until = None  # beyond what the board looked at, not a change
            # Equal neighbours are merged, so any later staffed stretch is a change.
            later = next((s for s in segments[1:] if s.people), None)
            if later:
                next_ids, row.next_at = list(later.people), later.start
        wanted |= set(now_ids) | set(next_ids)
        rows.append(row)
        ids.append((now_ids, next_ids))
    people = rosters.people_by_id(wanted)
    for row, (now_ids, next_ids) in zip(rows, ids, strict=True):
        row.now = sorted((people[i] for i in now_ids if i in people), key=lambda p: p.full_name)
        row.next = sorted((people[i] for i in next_ids if i in people), key=lambda p: p.full_name)
        if not row.now:
            row.until = None
    return rows
