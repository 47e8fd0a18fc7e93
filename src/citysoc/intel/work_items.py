"""The botnet clean-up's part of the work page: every open clean-up task."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from citysoc.core.work import WorkItem
from citysoc.intel.models import CleanupTask

# Priority 1 is the most urgent (a C2 family, recently seen, on a high-level system).
SEVERITY_OF_PRIORITY = {1: "critical", 2: "high", 3: "medium"}


def items_for(units, today: dt.date) -> Iterator[WorkItem]:
    rows = CleanupTask.objects.filter(
        unit__in=units, status__in=CleanupTask.OPEN_STATES
    ).select_related("unit", "host")
    for t in rows:
        host = t.host.hostname if t.host is not None and t.host.hostname else t.ip
        yield WorkItem(
            unit_id=t.unit_id,
            unit_name=t.unit.name,
            area="intel",
            kind="cleanup",
            title=_("Clean up %(host)s (%(family)s)") % {"host": host, "family": t.family or "?"},
            due=t.due_date,
            url=reverse("intel:task-detail", args=[t.pk]),
            action=_("Clean up"),
            severity=SEVERITY_OF_PRIORITY.get(t.priority, "low"),
        )
