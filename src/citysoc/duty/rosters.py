"""Rosters from the database as `schedule` rules, in a fixed number of queries.

Loading 300 units' rosters costs three queries (rosters, shifts with their people,
overrides) whatever the number of units, so the city board does not query per unit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from citysoc.core.models import Person, Unit
from citysoc.duty import schedule
from citysoc.duty.models import Override, Roster, Shift


def rosters_overlapping(queryset: QuerySet, start: dt.datetime, end: dt.datetime) -> QuerySet:
    """The rosters whose period overlaps [start, end) (by local date; a day either side)."""
    zone = timezone.get_default_timezone()
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    return queryset.filter(starts_on__lte=last, ends_on__gte=first)


def _shift_rule(shift: Shift) -> schedule.ShiftRule:
    return schedule.ShiftRule(
        id=shift.pk,
        name=shift.name,
        level=shift.layer.level,
        repeat=shift.repeat,
        people=tuple(sorted(p.pk for p in shift.people.all() if p.is_active)),
        start_time=shift.start_time,
        end_time=shift.end_time,
        weekdays=frozenset(int(d) for d in shift.weekdays or ()),
        first_day=shift.first_day,
        last_day=shift.last_day,
        once_start=shift.once_start,
        once_end=shift.once_end,
    )


def to_rules(roster: Roster) -> schedule.RosterRules:
    """A roster (with `shifts` and `overrides` prefetched by `load`, or not) as rules."""
    return schedule.RosterRules(
        id=roster.pk,
        unit_id=roster.unit_id,
        name=roster.name,
        start=roster.period_start,
        end=roster.period_end,
        zone=timezone.get_default_timezone(),
        shifts=tuple(_shift_rule(s) for s in roster.shifts.all()),
        overrides=tuple(
            schedule.OverrideRule(o.pk, o.person_id, o.starts_at, o.ends_at, o.replaces_id)
            for o in roster.overrides.all()
        ),
    )


def load(queryset: QuerySet[Roster]) -> list[schedule.RosterRules]:
    """The rosters of `queryset` as rules, prefetching everything in three queries."""
    # Two calls: Django's stubs cannot type one call given prefetches of two models.
    rosters = (
        queryset.select_related("unit")
        .prefetch_related(
            Prefetch("shifts", Shift.objects.select_related("layer").prefetch_related("people"))
        )
        .prefetch_related(Prefetch("overrides", Override.objects.all()))
    )
    return [to_rules(r) for r in rosters]


def by_unit(rules: Iterable[schedule.RosterRules]) -> dict[int, list[schedule.RosterRules]]:
    grouped: dict[int, list[schedule.RosterRules]] = defaultdict(list)
    for r in rules:
        grouped[r.unit_id].append(r)
    return grouped


def people_by_id(ids: Iterable[int]) -> dict[int, Person]:
    return Person.objects.in_bulk(set(ids))


def unit_rosters(units: Iterable[Unit] | QuerySet, start: dt.datetime, end: dt.datetime):
    """Rules of every roster of `units` overlapping [start, end), grouped by unit id."""
    q = Q(unit__in=units) if isinstance(units, QuerySet) else Q(unit_id__in=[u.pk for u in units])
    return by_unit(load(rosters_overlapping(Roster.objects.filter(q), start, end)))
