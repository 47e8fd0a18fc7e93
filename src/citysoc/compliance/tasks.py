"""Background entry points of compliance: call one function, nothing else."""

from __future__ import annotations

from dataclasses import asdict

from django_tasks import task

from citysoc.compliance import duties


@task()
def remind_duties() -> dict:
    return asdict(duties.send_reminders())
