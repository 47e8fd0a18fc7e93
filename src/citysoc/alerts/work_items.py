"""Alerts' part of the work page: every alert triggered and not yet acknowledged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from citysoc.alerts.models import Alert
from citysoc.core.work import WorkItem


def items_for(units, today: dt.date) -> Iterator[WorkItem]:
    rows = Alert.objects.filter(
        unit__in=units, status=Alert.Status.TRIGGERED, silenced=False
    ).select_related("unit")
    for a in rows:
        yield WorkItem(
            unit_id=a.unit_id,
            unit_name=a.unit.name,
            area="alerts",
            kind="alert",
            title=a.summary,
            due=a.first_seen,  # an alert is due when it fires
            url=reverse("alerts:alert-detail", args=[a.pk]),
            action=_("Acknowledge"),
            severity=a.severity,
        )
