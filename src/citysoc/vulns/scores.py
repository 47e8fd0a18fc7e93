"""Vulnerabilities on the scoreboard: findings past their remediation deadline, known-exploited
(KEV) ones first."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysoc.core.scoreboard import Component, Raw, clamp
from citysoc.vulns.models import Finding

PER_OVERDUE_KEV = 25
PER_OVERDUE = 10
TO_DO = (Finding.Status.OPEN, Finding.Status.REOPENED)


def raw(units, today: dt.date) -> dict[int, Raw]:
    """Every unit with a finding ever gets a figure (nothing overdue is a full score)."""
    late = Q(status__in=TO_DO, due_date__lt=today)
    rows = (
        Finding.objects.filter(unit__in=units)
        .order_by()
        .values("unit_id")
        .annotate(
            overdue=Count("pk", filter=late),
            kev=Count("pk", filter=late & Q(kev=True)),
            open=Count("pk", filter=Q(status__in=TO_DO)),
        )
    )
    figures = {}
    for r in rows:
        text = (
            _(
                "%(overdue)d vulnerabilities past their deadline (%(kev)d known exploited), "
                "%(open)d open"
            )
            % r
        )
        parts = (("overdue", r["overdue"]), ("kev", r["kev"]), ("open", r["open"]))
        figures[r["unit_id"]] = Raw(r["overdue"], text, parts)
    return figures


def points(figure: Raw) -> float:
    kev = figure.part("kev")
    other = figure.part("overdue") - kev
    return clamp(100 - PER_OVERDUE_KEV * kev - PER_OVERDUE * other)


def drill(unit) -> str:
    return f"{reverse('vulns:home')}?unit={unit.code}"


COMPONENT = Component(
    key="vulns",
    label=gettext_lazy("Overdue vulnerabilities"),
    raw=raw,
    points=points,
    rule=gettext_lazy(
        "100 − 25 per known-exploited vulnerability past its deadline − 10 per other one"
    ),
    drill=drill,
)
