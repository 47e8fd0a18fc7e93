"""Alert jobs for the worker: escalation steps that are due, and silent sources."""

from __future__ import annotations

from django_tasks import task

from citysoc.alerts.escalation import escalate_due

__all__ = ["check_heartbeats", "escalate_due"]


@task()
def check_heartbeats() -> dict:
    from citysoc.alerts import heartbeats

    return heartbeats.check()
