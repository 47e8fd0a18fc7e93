"""Background entry points of incidents: call one function, nothing else."""

from __future__ import annotations

from django_tasks import task

from citysoc.incidents import reminders


@task()
def remind() -> int:
    return reminders.remind()
