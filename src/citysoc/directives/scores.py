"""Directives on the scoreboard: the share of due items the unit answered on time."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysoc.core.scoreboard import Component, Raw, clamp
from citysoc.directives.models import Assignment, Directive


def raw(units, today: dt.date) -> dict[int, Raw]:
    """Units with an item of an issued directive whose due date has passed get a figure.

    On time: closed (done or not applicable) with its answer dated on or before the due date.
    """
    on_time = Q(status__in=Assignment.CLOSED, answered_at__date__lte=F("item__due_date"))
    rows = (
        Assignment.objects.filter(
            unit__in=units,
            directive__status=Directive.Status.ISSUED,
            item__due_date__lt=today,
        )
        .order_by()
        .values("unit_id")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=on_time))
    )
    figures = {}
    for r in rows:
        percent = round(r["on_time"] * 100 / r["n"], 1)
        text = _("%(on_time)d of %(n)d items due answered on time") % r
        figures[r["unit_id"]] = Raw(percent, text, (("on_time", r["on_time"]), ("due", r["n"])))
    return figures


def points(figure: Raw) -> float:
    return clamp(figure.value)


def drill(unit) -> str:
    return f"{reverse('directives:assignment-list')}?overdue=on"


COMPONENT = Component(
    key="directives",
    label=gettext_lazy("Directive answers on time"),
    raw=raw,
    points=points,
    rule=gettext_lazy("the percentage of items past their due date answered on time"),
    drill=drill,
)
