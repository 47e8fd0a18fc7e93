"""Incidents on the work page: open response tasks of incidents not closed, by their due time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from citysoc.alerts.models import Incident
from citysoc.core.work import WorkItem
from citysoc.incidents.models import Task


def items_for(units, today: dt.date) -> Iterator[WorkItem]:
    rows = (
        Task.objects.filter(incident__unit__in=units, done_at__isnull=True)
        .exclude(incident__status=Incident.Status.CLOSED)
        .select_related("incident__unit")
    )
    for t in rows:
        incident = t.incident
        yield WorkItem(
            unit_id=incident.unit_id,
            unit_name=incident.unit.name,
            area="incidents",
            kind="task",
            title=f"{incident.title}: {t.title}"[:300],
            due=t.due_at,
            url=reverse("incidents:detail", args=[incident.pk]),
            action=_("Handle"),
            severity=incident.severity,
        )
