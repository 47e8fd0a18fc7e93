"""Alert jobs for the worker: escalation steps that are due, and silent sources."""

from __future__ import annotations

from django_tasks import task


@task()
def escalate_due() -> dict:
    from citysoc.alerts import escalation

    return escalation.run_due()


@task()
def check_heartbeats() -> dict:
    from citysoc.alerts import heartbeats

    return heartbeats.check()
