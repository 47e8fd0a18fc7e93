"""Botnet clean-up on the scoreboard: infected hosts still open, and how late they are."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysoc.core.scoreboard import Component, Raw, clamp
from citysoc.intel.models import CleanupTask

PER_OPEN = 10
PER_OVERDUE = 15


def raw(units, today: dt.date) -> dict[int, Raw]:
    """Every unit with a clean-up task ever gets a figure (none open is a full score)."""
    open_q = Q(status__in=CleanupTask.OPEN_STATES)
    rows = (
        CleanupTask.objects.filter(unit__in=units)
        .order_by()
        .values("unit_id")
        .annotate(
            open=Count("pk", filter=open_q),
            # Not "overdue": that name is taken by CleanupTask.overdue.
            late=Count("pk", filter=open_q & Q(due_date__lt=today)),
            oldest=Min("created_at", filter=open_q),
        )
    )
    figures = {}
    for r in rows:
        days = (today - timezone.localtime(r["oldest"]).date()).days if r["oldest"] else 0
        text = _("%(open)d infected hosts open (%(overdue)d overdue), oldest %(days)d days") % {
            "open": r["open"],
            "overdue": r["late"],
            "days": days,
        }
        parts = (("open", r["open"]), ("overdue", r["late"]), ("oldest_days", days))
        figures[r["unit_id"]] = Raw(r["open"], text, parts)
    return figures


def points(figure: Raw) -> float:
    return clamp(100 - PER_OPEN * figure.part("open") - PER_OVERDUE * figure.part("overdue"))


def drill(unit) -> str:
    return f"{reverse('intel:task-list')}?unit={unit.pk}"


COMPONENT = Component(
    key="botnet",
    label=gettext_lazy("Infected hosts"),
    raw=raw,
    points=points,
    rule=gettext_lazy("100 − 10 per open clean-up task − 15 more per overdue task"),
    drill=drill,
)
