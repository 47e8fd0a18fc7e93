"""Vulnerabilities on the work page: open findings with a remediation deadline, or critical
and high ones without; known-exploited (KEV) findings count as critical."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from citysoc.core.work import WorkItem
from citysoc.vulns.models import Finding, Severity

# Fixed findings wait for the next scan, not for the unit.
TO_DO = (Finding.Status.OPEN, Finding.Status.REOPENED)
SHOWN = Q(due_date__isnull=False) | Q(severity__in=(Severity.CRITICAL, Severity.HIGH)) | Q(kev=True)


def items_for(units, today: dt.date) -> Iterator[WorkItem]:
    rows = (
        Finding.objects.filter(unit__in=units, status__in=TO_DO)
        .filter(SHOWN)
        .select_related("unit", "host")
    )
    for f in rows:
        where = f.host.hostname if f.host is not None else f.address
        title = f"{f.title} — {where}"
        if f.kev:
            title = _("Known exploited: %(title)s") % {"title": title}
        yield WorkItem(
            unit_id=f.unit_id,
            unit_name=f.unit.name,
            area="vulns",
            kind="finding",
            title=title[:300],
            due=f.due_date,
            url=reverse("vulns:finding-detail", args=[f.pk]),
            action=_("Fix"),
            severity=Severity.CRITICAL if f.kev else f.severity,
        )
