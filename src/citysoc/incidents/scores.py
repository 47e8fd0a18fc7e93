"""Incidents on the scoreboard: how long the response took, over the last 90 days."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysoc.alerts.models import Incident
from citysoc.core.scoreboard import Component, Raw, clamp

DAYS = 90
TARGET_HOURS = 24
PER_HOUR_LATE = 2


def raw(units, today: dt.date) -> dict[int, Raw]:
    """Units with an incident whose response ended in the last 90 days: the mean hours from
    detection (or opening) to the end of the response."""
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=DAYS), dt.time()))
    rows = Incident.objects.filter(unit__in=units, response_ended_at__gte=since).values_list(
        "unit_id", "detected_at", "created_at", "response_ended_at"
    )
    hours: dict[int, list[float]] = {}
    for unit_id, detected, created, ended in rows:
        if ended is None:
            continue  # never: the filter above wants a response end
        start = detected or created
        hours.setdefault(unit_id, []).append(max(0.0, (ended - start).total_seconds() / 3600))
    figures = {}
    for unit_id, values in hours.items():
        mean = round(sum(values) / len(values), 1)
        text = _("%(n)d incidents handled in %(hours)s hours on average") % {
            "n": len(values),
            "hours": mean,
        }
        figures[unit_id] = Raw(mean, text, (("n", len(values)),))
    return figures


def points(figure: Raw) -> float:
    return clamp(100 - PER_HOUR_LATE * max(0.0, figure.value - TARGET_HOURS))


def drill(unit) -> str:
    return reverse("incidents:home")


COMPONENT = Component(
    key="incidents",
    label=gettext_lazy("Incident handling times"),
    raw=raw,
    points=points,
    rule=gettext_lazy("100 − 2 per hour beyond 24 hours of mean response time (last 90 days)"),
    drill=drill,
)
