"""Duty on the scoreboard: the share of the coming week with someone on duty.

The directive asks for 24/7 duty, so a unit with no roster for the week has 0% coverage.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysoc.core.models import Unit
from citysoc.core.scoreboard import Component, Raw, clamp
from citysoc.duty import rosters, schedule

DAYS = 7


def raw(units, today: dt.date) -> dict[int, Raw]:
    start = timezone.make_aware(dt.datetime.combine(today, dt.time()))
    end = start + dt.timedelta(days=DAYS)
    units = list(units.exclude(kind__in=(Unit.Kind.CITY, Unit.Kind.ISP)))
    grouped = rosters.unit_rosters(units, start, end)
    figures = {}
    for unit in units:
        rules = grouped.get(unit.pk, [])
        segments = schedule.merged(rules, start, end) if rules else []
        covered = sum(((s.end - s.start) for s in segments if s.people), dt.timedelta())
        hours = covered.total_seconds() / 3600
        percent = round(hours * 100 / (DAYS * 24), 1)
        text = _("%(hours)d of the next %(total)d hours covered") % {
            "hours": hours,
            "total": DAYS * 24,
        }
        figures[unit.pk] = Raw(percent, text, (("hours", hours),))
    return figures


def points(figure: Raw) -> float:
    return clamp(figure.value)


def drill(unit) -> str:
    return reverse("duty:home")


COMPONENT = Component(
    key="duty",
    label=gettext_lazy("Duty coverage"),
    raw=raw,
    points=points,
    rule=gettext_lazy("the percentage of the coming 7 days with someone on duty"),
    drill=drill,
)
