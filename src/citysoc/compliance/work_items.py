"""Compliance's part of the work page: assessments still in progress and open gaps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from citysoc.compliance.models import Assessment, AssessmentItem
from citysoc.core.work import WorkItem


def items_for(units, today: dt.date) -> Iterator[WorkItem]:
    yield from _assessments(units)
    yield from _gaps(units)


def _assessments(units) -> Iterator[WorkItem]:
    rows = Assessment.objects.filter(
        unit__in=units, status=Assessment.Status.IN_PROGRESS
    ).select_related("unit", "system")
    for a in rows:
        yield WorkItem(
            unit_id=a.unit_id,
            unit_name=a.unit.name,
            area="compliance",
            kind="assessment",
            title=_("Finish the assessment of %(system)s") % {"system": a.system.name},
            due=None,
            url=reverse("compliance:assessment-detail", args=[a.pk]),
            action=_("Assess"),
        )


def _gaps(units) -> Iterator[WorkItem]:
    rows = AssessmentItem.objects.filter(
        assessment__unit__in=units, status__in=AssessmentItem.GAPS
    ).select_related("assessment__unit", "assessment__system", "requirement")
    for item in rows:
        a = item.assessment
        yield WorkItem(
            unit_id=a.unit_id,
            unit_name=a.unit.name,
            area="compliance",
            kind="gap",
            title=_("Fix gap %(ref)s on %(system)s: %(title)s")
            % {
                "ref": item.requirement.ref_id,
                "system": a.system.name,
                "title": item.requirement.title[:160],
            },
            due=item.gap_due,
            url=reverse("compliance:item-detail", args=[item.pk]),
            action=_("Fix the gap"),
            severity="high" if item.status == AssessmentItem.Status.NOT_MET else "medium",
        )
