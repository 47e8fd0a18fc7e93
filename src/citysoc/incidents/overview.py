"""The city's view of incidents: open cases by unit and type, overdue reports, and the mean
time to acknowledge (MTTA) and to respond (MTTR) per unit."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from citysoc.alerts.models import Incident
from citysoc.incidents import deadlines


@dataclass
class UnitRow:
    unit_name: str
    unit_code: str
    open: int = 0
    overdue: int = 0
    by_kind: Counter = field(default_factory=Counter)
    ack_hours: list[float] = field(default_factory=list)
    resolve_hours: list[float] = field(default_factory=list)

    @property
    def mtta(self) -> float | None:
        return round(sum(self.ack_hours) / len(self.ack_hours), 1) if self.ack_hours else None

    @property
    def mttr(self) -> float | None:
        return (
            round(sum(self.resolve_hours) / len(self.resolve_hours), 1)
            if self.resolve_hours
            else None
        )


def _hours(start: dt.datetime, end: dt.datetime | None) -> float | None:
    return None if end is None else max((end - start).total_seconds() / 3600, 0.0)


def by_unit(incidents: QuerySet[Incident], now: dt.datetime) -> list[UnitRow]:
    """One row per unit with incidents, most open first."""
    rows: dict[int, UnitRow] = {}
    cache: dict = {}
    qs = (
        incidents.filter(merged_into=None)
        .select_related("unit")
        .prefetch_related("systems", "reports")
    )
    for case in qs:
        row = rows.setdefault(case.unit_id, UnitRow(case.unit.name, case.unit.code))
        ack = _hours(case.detected, case.acknowledged_at)
        done = _hours(case.detected, case.response_ended_at)
        if ack is not None:
            row.ack_hours.append(ack)
        if done is not None:
            row.resolve_hours.append(done)
        if case.closed_at is None:
            row.open += 1
            row.by_kind[case.kind] += 1
            row.overdue += any(d.overdue(now) for d in deadlines.deadlines_for(case, cache))
    return sorted(rows.values(), key=lambda r: (-r.open, r.unit_name))


def open_by_kind(rows: list[UnitRow]) -> dict[str, int]:
    total: defaultdict[str, int] = defaultdict(int)
    for row in rows:
        for kind, n in row.by_kind.items():
            total[kind] += n
    return {kind: total[kind] for kind in Incident.Kind.values if total[kind]}
