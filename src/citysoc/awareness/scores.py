"""Awareness on the scoreboard: the share of programme courses the unit's people completed."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysoc.awareness.models import Enrolment
from citysoc.core.scoreboard import Component, Raw, clamp


def raw(units, today: dt.date) -> dict[int, Raw]:
    """Units whose people were enrolled by a programme get a figure."""
    rows = (
        Enrolment.objects.filter(unit__in=units, programme__isnull=False)
        .order_by()
        .values("unit_id")
        .annotate(n=Count("pk"), passed=Count("pk", filter=Q(status=Enrolment.Status.PASSED)))
    )
    figures = {}
    for r in rows:
        percent = round(r["passed"] * 100 / r["n"], 1)
        text = _("%(passed)d of %(n)d programme courses completed") % r
        figures[r["unit_id"]] = Raw(percent, text, (("passed", r["passed"]), ("n", r["n"])))
    return figures


def points(figure: Raw) -> float:
    return clamp(figure.value)


def drill(unit) -> str:
    return reverse("awareness:programme-list")


COMPONENT = Component(
    key="training",
    label=gettext_lazy("Training completion"),
    raw=raw,
    points=points,
    rule=gettext_lazy("the percentage of programme courses completed"),
    drill=drill,
)
