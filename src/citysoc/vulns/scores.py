"""Vulnerabilities on the scoreboard: open critical and high findings.

No remediation deadline or known-exploited flag is stored yet; when findings carry them,
this component counts overdue ones, known-exploited first, instead.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysoc.core.scoreboard import Component, Raw, clamp
from citysoc.vulns.models import Finding, Severity

PER_CRITICAL = 20
PER_HIGH = 5


def raw(units, today: dt.date) -> dict[int, Raw]:
    """Every unit with a finding ever gets a figure (nothing open is a full score)."""
    open_q = ~Q(status=Finding.Status.MITIGATED)
    rows = (
        Finding.objects.filter(unit__in=units)
        .order_by()
        .values("unit_id")
        .annotate(
            critical=Count("pk", filter=open_q & Q(severity=Severity.CRITICAL)),
            high=Count("pk", filter=open_q & Q(severity=Severity.HIGH)),
        )
    )
    figures = {}
    for r in rows:
        text = _("%(critical)d critical and %(high)d high vulnerabilities open") % r
        parts = (("critical", r["critical"]), ("high", r["high"]))
        figures[r["unit_id"]] = Raw(r["critical"] + r["high"], text, parts)
    return figures


def points(figure: Raw) -> float:
    return clamp(100 - PER_CRITICAL * figure.part("critical") - PER_HIGH * figure.part("high"))


def drill(unit) -> str:
    return f"{reverse('vulns:home')}?unit={unit.code}"


COMPONENT = Component(
    key="vulns",
    label=gettext_lazy("Open vulnerabilities"),
    raw=raw,
    points=points,
    rule=gettext_lazy("100 − 20 per open critical − 5 per open high vulnerability"),
    drill=drill,
)
