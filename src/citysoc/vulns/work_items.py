"""Vulnerabilities' part of the work page: open critical and high findings.

No remediation deadline is stored yet, so these come undated, worst first; when findings
carry a deadline, `due` becomes it and they move up the list by date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from citysoc.core.work import WorkItem
from citysoc.vulns.models import Finding, Severity

SHOWN = (Severity.CRITICAL, Severity.HIGH)


def items_for(units, today: dt.date) -> Iterator[WorkItem]:
    rows = (
        Finding.objects.filter(unit__in=units, severity__in=SHOWN)
        .exclude(status=Finding.Status.MITIGATED)
        .select_related("unit", "host")
    )
    home = reverse("vulns:home")
    for f in rows:
        where = f.host.hostname if f.host_id else f.address
        yield WorkItem(
            unit_id=f.unit_id,
            unit_name=f.unit.name,
            area="vulns",
            kind="finding",
            title=f"{f.title} — {where}"[:300],
            due=None,
            url=f"{home}?unit={f.unit.code}&severity={f.severity}",
            action=_("Fix"),
            severity=f.severity,
        )
