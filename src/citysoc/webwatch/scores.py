"""Websites on the scoreboard: sites down and open findings on the unit's monitored sites."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysoc.core.scoreboard import Component, Raw, clamp
from citysoc.webwatch.models import Finding, Monitor

PER_DOWN = 30
PER_SERIOUS = 20
PER_OTHER = 5


def raw(units, today: dt.date) -> dict[int, Raw]:
    """Units with an enabled monitor get a figure."""
    monitors = (
        Monitor.objects.filter(unit__in=units, enabled=True)
        .order_by()
        .values("unit_id")
        .annotate(n=Count("pk"), down=Count("pk", filter=Q(is_up=False)))
    )
    open_q = Q(status=Finding.Status.OPEN)
    serious_q = open_q & Q(severity__in=("critical", "high"))
    findings = {
        r["unit_id"]: r
        for r in Finding.objects.filter(unit__in=units)
        .order_by()
        .values("unit_id")
        .annotate(serious=Count("pk", filter=serious_q), other=Count("pk", filter=open_q))
    }
    figures = {}
    for m in monitors:
        f = findings.get(m["unit_id"], {"serious": 0, "other": 0})
        other = f["other"] - f["serious"]
        text = _(
            "%(n)d sites watched, %(down)d down, %(serious)d serious and %(other)d other findings"
        ) % {"n": m["n"], "down": m["down"], "serious": f["serious"], "other": other}
        parts = (("down", m["down"]), ("serious", f["serious"]), ("other", other))
        figures[m["unit_id"]] = Raw(m["down"] + f["serious"] + other, text, parts)
    return figures


def points(figure: Raw) -> float:
    return clamp(
        100
        - PER_DOWN * figure.part("down")
        - PER_SERIOUS * figure.part("serious")
        - PER_OTHER * figure.part("other")
    )


def drill(unit) -> str:
    return reverse("webwatch:home")


COMPONENT = Component(
    key="websites",
    label=gettext_lazy("Website state"),
    raw=raw,
    points=points,
    rule=gettext_lazy(
        "100 − 30 per site down − 20 per open critical or high finding − 5 per other finding"
    ),
    drill=drill,
)
