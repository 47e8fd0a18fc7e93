"""ISP requests on the work page: each open request, for the ISP unit that must answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from citysoc.core.work import WorkItem
from citysoc.isps.models import IspRequest


def items_for(units, today: dt.date) -> Iterator[WorkItem]:
    rows = IspRequest.objects.filter(unit__in=units, status__in=IspRequest.OPEN).select_related(
        "unit"
    )
    for r in rows:
        acknowledged = r.status == IspRequest.Status.ACKNOWLEDGED
        yield WorkItem(
            unit_id=r.unit_id,
            unit_name=r.unit.name,
            area="isps",
            kind="request",
            title=r.subject,
            due=r.due_at,
            url=reverse("isps:request-detail", args=[r.pk]),
            action=_("Answer") if acknowledged else _("Acknowledge"),
            severity="high",
        )
