"""Compliance on the scoreboard: the share of assessed requirements met (partly = half)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysoc.compliance.models import AssessmentItem
from citysoc.core.scoreboard import Component, Raw, clamp


def raw(units, today: dt.date) -> dict[int, Raw]:
    S = AssessmentItem.Status
    rows = (
        AssessmentItem.objects.filter(assessment__unit__in=units)
        .exclude(status__in=(S.NOT_ASSESSED, S.NOT_APPLICABLE))
        .order_by()
        .values("assessment__unit_id")
        .annotate(
            n=Count("pk"),
            met=Count("pk", filter=Q(status=S.MET)),
            partly=Count("pk", filter=Q(status=S.PARTLY)),
        )
    )
    figures = {}
    for r in rows:
        percent = round((r["met"] + r["partly"] / 2) * 100 / r["n"], 1)
        text = _("%(percent)s%% of %(n)d assessed requirements met") % {
            "percent": formats.number_format(percent, 1),  # 62,5 in Vietnamese
            "n": r["n"],
        }
        figures[r["assessment__unit_id"]] = Raw(percent, text)
    return figures


def points(figure: Raw) -> float:
    return clamp(figure.value)


def drill(unit) -> str:
    return reverse("compliance:gap-list")


COMPONENT = Component(
    key="compliance",
    label=gettext_lazy("Compliance"),
    raw=raw,
    points=points,
    rule=gettext_lazy("the percentage of assessed requirements met (partly met counts half)"),
    drill=drill,
)
