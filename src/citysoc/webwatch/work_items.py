"""Website watch's part of the work page: every open finding on a unit's websites."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from citysoc.core.work import WorkItem
from citysoc.webwatch.models import Finding


def items_for(units, today: dt.date) -> Iterator[WorkItem]:
    rows = Finding.objects.filter(unit__in=units, status=Finding.Status.OPEN).select_related(
        "unit", "monitor"
    )
    for f in rows:
        yield WorkItem(
            unit_id=f.unit_id,
            unit_name=f.unit.name,
            area="webwatch",
            kind="finding",
            title=f"{f.monitor.name}: {f.shown_title}"[:300],
            # Something wrong on a public site is due now: it shows from the day it was seen.
            due=f.first_seen,
            url=reverse("webwatch:finding-detail", args=[f.pk]),
            action=_("Review"),
            severity=f.severity,
        )
