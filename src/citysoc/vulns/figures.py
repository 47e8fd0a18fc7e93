"""The figures of the vulnerability pages: per unit, per system, and the city board.

Every function takes a queryset the caller has already limited to what the user may see.
Counts are of active findings (open, reopened, fixed awaiting verification) unless named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from citysoc.vulns.models import Finding, Scan, Severity

ACTIVE = Q(status__in=Finding.ACTIVE)
SEVERITY_ORDER = list(reversed(Severity.values))  # critical first


@dataclass(frozen=True)
class Summary:
    by_severity: dict[str, int]
    active: int
    overdue: int
    kev: int
    overdue_kev: int
    fixed_waiting: int
    accepted: int
    false_positive: int
    mitigated: int

    @property
    def critical(self) -> int:
        return self.by_severity.get("critical", 0)

    def severity_rows(self) -> list[tuple[str, str, int]]:
        labels = dict(Severity.choices)
        return [(s, str(labels[s]), self.by_severity.get(s, 0)) for s in SEVERITY_ORDER]


NAMES = (
    "active",
    "overdue",
    "kev",
    "overdue_kev",
    "fixed_waiting",
    "accepted",
    "false_positive",
    "mitigated",
)


def _counts(today: dt.date) -> dict:
    """Aggregates named `n_<figure>` (a bare `kev` would clash with the model's field)."""
    late = ACTIVE & Q(due_date__lt=today)
    counts = {f"n_sev_{s}": Count("pk", filter=ACTIVE & Q(severity=s)) for s in SEVERITY_ORDER}
    filters = {
        "active": ACTIVE,
        "overdue": late,
        "kev": ACTIVE & Q(kev=True),
        "overdue_kev": late & Q(kev=True),
        "fixed_waiting": Q(status=Finding.Status.FIXED),
        "accepted": Q(status=Finding.Status.ACCEPTED),
        "false_positive": Q(status=Finding.Status.FALSE_POSITIVE),
        "mitigated": Q(status=Finding.Status.MITIGATED),
    }
    counts.update({f"n_{name}": Count("pk", filter=q) for name, q in filters.items()})
    return counts


def _summary(row: Mapping[str, Any]) -> Summary:
    return Summary(
        by_severity={s: row.get(f"n_sev_{s}") or 0 for s in SEVERITY_ORDER},
        **{name: row.get(f"n_{name}") or 0 for name in NAMES},
    )


def summary(findings: QuerySet[Finding], today: dt.date) -> Summary:
    """One query: the figures of these findings."""
    return _summary(findings.aggregate(**_counts(today)))


@dataclass(frozen=True)
class BoardRow:
    unit_id: int
    name: str
    code: str
    summary: Summary


def board(findings: QuerySet[Finding], today: dt.date) -> list[BoardRow]:
    """Units ranked worst first: overdue KEV, then open KEV, then overdue, then critical."""
    # Each row also holds the counts named by _counts().
    rows: Iterable[Mapping[str, Any]] = findings.values(
        "unit_id", "unit__name", "unit__code"
    ).annotate(**_counts(today))
    ranked = [
        BoardRow(r["unit_id"], r["unit__name"], r["unit__code"], _summary(r))
        for r in rows
        if r["n_active"] or r["n_fixed_waiting"] or r["n_accepted"]
    ]
    ranked.sort(
        key=lambda b: (
            -b.summary.overdue_kev,
            -b.summary.kev,
            -b.summary.overdue,
            -b.summary.critical,
            -b.summary.active,
            b.name,
        )
    )
    return ranked


@dataclass(frozen=True)
class TrendPoint:
    when: dt.datetime
    tool: str
    file_name: str
    findings: int
    new: int
    mitigated: int
    reopened: int


def trend(scans: QuerySet[Scan], limit: int = 12) -> list[TrendPoint]:
    """The last scans, oldest first: what each brought in and closed."""
    latest = list(scans.order_by("-started_at")[:limit])
    return [
        TrendPoint(s.started_at, s.tool, s.file_name, s.findings, s.new, s.mitigated, s.reopened)
        for s in reversed(latest)
    ]


def by_system(findings: QuerySet[Finding], today: dt.date) -> list[Mapping[str, Any]]:
    """Per information system (and "no system"): active, critical, KEV, overdue."""
    late = ACTIVE & Q(due_date__lt=today)
    return list(
        findings.values("system_id", "system__name", "system__security_level")
        .annotate(
            n_active=Count("pk", filter=ACTIVE),
            n_critical=Count("pk", filter=ACTIVE & Q(severity="critical")),
            n_kev=Count("pk", filter=ACTIVE & Q(kev=True)),
            n_overdue=Count("pk", filter=late),
        )
        .filter(n_active__gt=0)
        .order_by("-n_kev", "-n_overdue", "-n_critical", "system__name")
    )
