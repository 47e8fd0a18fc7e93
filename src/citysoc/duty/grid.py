"""A roster's final schedule laid out as a week or month grid of days (server-rendered)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from citysoc.core.models import Person
from citysoc.duty import schedule


@dataclass
class Slot:
    start: dt.datetime
    end: dt.datetime
    people: list[Person]
    shifts: tuple[str, ...]

    @property
    def gap(self) -> bool:
        return not self.people

    @property
    def label(self) -> str:
        # A stretch running to midnight reads "19:00–24:00", not "19:00–00:00".
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        end_text = "24:00" if end.time() == dt.time(0) and end > start else f"{end:%H:%M}"
        return f"{start:%H:%M}–{end_text}"


@dataclass
class Day:
    date: dt.date
    in_range: bool
    in_period: bool
    slots: list[Slot] = field(default_factory=list)


def month_days(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The Monday before the 1st and the Sunday after the last day: whole weeks."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return first - dt.timedelta(days=first.weekday()), last + dt.timedelta(days=6 - last.weekday())


def build(
    rules: schedule.RosterRules,
    first: dt.date,
    last: dt.date,
    people: dict[int, Person],
    shown: tuple[dt.date, dt.date] | None = None,
) -> list[list[Day]]:
    """Weeks (lists of 7 days) from `first` (a Monday) to `last` (a Sunday), each day with
    the stretches of its schedule; `shown` greys days outside the month asked for."""
    zone = rules.zone
    start = dt.datetime.combine(first, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    segments = schedule.timeline(rules, start, end)
    period = (rules.start.astimezone(zone).date(), (rules.end - dt.timedelta(seconds=1)).date())
    days: list[Day] = []
    day = first
    while day <= last:
        lo = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
        hi = lo + dt.timedelta(days=1)
        in_range = shown is None or shown[0] <= day <= shown[1]
        cell = Day(day, in_range, period[0] <= day <= period[1])
        for s in segments:
            if s.start < hi and s.end > lo:
                who = sorted((people[p] for p in s.people if p in people), key=str)
                cell.slots.append(Slot(max(s.start, lo), min(s.end, hi), who, s.shifts))
        days.append(cell)
        day += dt.timedelta(days=1)
    return [days[i : i + 7] for i in range(0, len(days), 7)]
