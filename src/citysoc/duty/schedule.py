"""Who is on duty when: a pure computation over shift rules, layers and overrides.

No database here. `duty.rosters` turns model rows into these frozen rules once, and every
question (on duty now, the next change, gaps, a month's grid, a person's calendar) is a
walk over `timeline()`, which expands the shifts only inside the window asked about.

Rules, as PagerDuty's final schedule:
- a shift occurrence puts its people on duty; occurrences are clipped to the roster period;
- at any moment only the highest layer that has someone on duty counts;
- an override puts its person on duty instead of everyone (or instead of `replaces` only,
  which is how an accepted swap is recorded);
- times are wall-clock in the roster's zone; Asia/Ho_Chi_Minh has no daylight saving, but
  occurrences are still built from local dates and times so that a zone with DST would
  give 12-hour shifts of 11 or 13 hours rather than drift.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

DAILY, WEEKLY, ONCE = "daily", "weekly", "once"


@dataclass(frozen=True)
class ShiftRule:
    id: int
    name: str
    level: int
    repeat: str
    people: tuple[int, ...]
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    weekdays: frozenset[int] = frozenset()
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    once_start: dt.datetime | None = None
    once_end: dt.datetime | None = None


@dataclass(frozen=True)
class OverrideRule:
    id: int
    person: int
    start: dt.datetime
    end: dt.datetime
    replaces: int | None = None


@dataclass(frozen=True)
class RosterRules:
    """One roster as plain data: its period, shifts and overrides."""

    id: int
    unit_id: int
    name: str
    start: dt.datetime
    end: dt.datetime
    zone: ZoneInfo
    shifts: tuple[ShiftRule, ...] = ()
    overrides: tuple[OverrideRule, ...] = ()


@dataclass(frozen=True)
class Occurrence:
    shift: ShiftRule
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class Segment:
    """A stretch of time with the same people on duty (empty: a gap)."""

    start: dt.datetime
    end: dt.datetime
    people: frozenset[int]
    shifts: tuple[str, ...] = field(default=())


# ---- expanding shift rules ------------------------------------------------------------


def _days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def _runs_on(rule: ShiftRule, day: dt.date) -> bool:
    if rule.first_day and day < rule.first_day:
        return False
    if rule.last_day and day > rule.last_day:
        return False
    return rule.repeat == DAILY or (rule.repeat == WEEKLY and day.weekday() in rule.weekdays)


def _bounds(rule: ShiftRule, day: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    assert rule.start_time is not None and rule.end_time is not None  # noqa: S101
    start = dt.datetime.combine(day, rule.start_time, tzinfo=zone)
    # 19:00–07:00 ends the next day; 07:00–07:00 is a whole 24-hour shift.
    end_day = day + dt.timedelta(days=1) if rule.end_time <= rule.start_time else day
    return start, dt.datetime.combine(end_day, rule.end_time, tzinfo=zone)


def expand(
    rule: ShiftRule, start: dt.datetime, end: dt.datetime, zone: ZoneInfo
) -> list[Occurrence]:
    """The occurrences of `rule` that overlap [start, end), unclipped."""
    if rule.repeat == ONCE:
        if rule.once_start and rule.once_end and rule.once_start < end and rule.once_end > start:
            return [Occurrence(rule, rule.once_start, rule.once_end)]
        return []
    if rule.start_time is None or rule.end_time is None:
        return []
    found = []
    # A night shift that began the day before `start` still covers its morning.
    first = start.astimezone(zone).date() - dt.timedelta(days=1)
    for day in _days(first, end.astimezone(zone).date()):
        if _runs_on(rule, day):
            occ_start, occ_end = _bounds(rule, day, zone)
            if occ_start < end and occ_end > start:
                found.append(Occurrence(rule, occ_start, occ_end))
    return found


def occurrences(roster: RosterRules, start: dt.datetime, end: dt.datetime) -> list[Occurrence]:
    """Every shift occurrence of the roster within [start, end), clipped to its period."""
    start, end = max(start, roster.start), min(end, roster.end)
    if start >= end:
        return []
    found = []
    for rule in roster.shifts:
        for occ in expand(rule, start, end, roster.zone):
            clipped = Occurrence(rule, max(occ.start, roster.start), min(occ.end, roster.end))
            if clipped.start < clipped.end:
                found.append(clipped)
    return sorted(found, key=lambda o: (o.start, o.shift.level, o.shift.id))


# ---- the final schedule ------------------------------------------------------------------


def _who(occs: list[Occurrence], overrides: list[OverrideRule]) -> tuple[frozenset[int], tuple]:
    """The people on duty given the occurrences and overrides covering one moment."""
    people: set[int] = set()
    names: tuple[str, ...] = ()
    staffed = [o for o in occs if o.shift.people]
    if staffed:
        top = max(o.shift.level for o in staffed)
        on_top = [o for o in staffed if o.shift.level == top]
        people = {p for o in on_top for p in o.shift.people}
        names = tuple(sorted({o.shift.name for o in on_top}))
    whole = [o for o in overrides if o.replaces is None]
    if whole:
        people = {o.person for o in whole}
    for o in overrides:
        if o.replaces is not None and o.replaces in people:
            people.discard(o.replaces)
            people.add(o.person)
    return frozenset(people), names


def timeline(roster: RosterRules, start: dt.datetime, end: dt.datetime) -> list[Segment]:
    """The roster's final schedule over [start, end) ∩ its period, as contiguous segments.

    Segments with nobody on duty are included (they are the gaps); consecutive segments
    with the same people and shifts are merged.
    """
    start, end = max(start, roster.start), min(end, roster.end)
    if start >= end:
        return []
    occs = occurrences(roster, start, end)
    overrides = [o for o in roster.overrides if o.start < end and o.end > start]
    cuts = {start, end}
    covering: list[Occurrence | OverrideRule] = [*occs, *overrides]
    for item in covering:
        cuts.update(t for t in (item.start, item.end) if start < t < end)
    points = sorted(cuts)
    segments: list[Segment] = []
    for a, b in zip(points, points[1:], strict=False):
        here = [o for o in occs if o.start <= a < o.end]
        ovr = [o for o in overrides if o.start <= a < o.end]
        people, names = _who(here, ovr)
        last = segments[-1] if segments else None
        if last and last.end == a and last.people == people and last.shifts == names:
            segments[-1] = Segment(last.start, b, people, names)
        else:
            segments.append(Segment(a, b, people, names))
    return segments


def on_duty_at(roster: RosterRules, at: dt.datetime) -> frozenset[int]:
    """The people on duty at `at` (an empty set outside the period or in a gap)."""
    segments = timeline(roster, at, at + dt.timedelta(seconds=1))
    return segments[0].people if segments else frozenset()


def gaps(
    roster: RosterRules, start: dt.datetime | None = None, end: dt.datetime | None = None
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The intervals in [start, end) ∩ the period when nobody is on duty."""
    segments = timeline(roster, start or roster.start, end or roster.end)
    found: list[tuple[dt.datetime, dt.datetime]] = []
    for s in segments:
        if s.people:
            continue
        if found and found[-1][1] == s.start:
            found[-1] = (found[-1][0], s.end)
        else:
            found.append((s.start, s.end))
    return found


def merged(rosters: Iterable[RosterRules], start: dt.datetime, end: dt.datetime) -> list[Segment]:
    """Several rosters of one unit as one timeline: the union of who is on duty."""
    rosters = list(rosters)
    per_roster = [timeline(r, start, end) for r in rosters]
    cuts = {start, end}
    for segments in per_roster:
        cuts.update(t for s in segments for t in (s.start, s.end) if start < t < end)
    points = sorted(cuts)
    result: list[Segment] = []
    for a, b in zip(points, points[1:], strict=False):
        people: set[int] = set()
        names: set[str] = set()
        for segments in per_roster:
            for s in segments:
                if s.start <= a < s.end:
                    people |= s.people
                    names |= set(s.shifts)
        seg = Segment(a, b, frozenset(people), tuple(sorted(names)))
        if result and result[-1].people == seg.people and result[-1].end == a:
            result[-1] = Segment(result[-1].start, b, seg.people, result[-1].shifts)
        else:
            result.append(seg)
    return result


def person_intervals(
    roster: RosterRules, person: int, start: dt.datetime, end: dt.datetime
) -> list[Segment]:
    """When `person` is on duty on this roster within [start, end), merged."""
    found: list[Segment] = []
    for s in timeline(roster, start, end):
        if person not in s.people:
            continue
        if found and found[-1].end == s.start:
            names = tuple(sorted(set(found[-1].shifts) | set(s.shifts)))
            found[-1] = Segment(found[-1].start, s.end, s.people, names)
        else:
            found.append(s)
    return found
