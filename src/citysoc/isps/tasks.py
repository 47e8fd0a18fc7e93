"""Background entry points of the ISP requests."""

from __future__ import annotations

from django_tasks import task

from citysoc.isps import escalation


@task()
def escalate_overdue() -> int:
    return escalation.escalate_overdue()
