"""Background entry points of the directives: call one function, nothing else."""

from __future__ import annotations

from dataclasses import asdict

from django_tasks import task

from citysoc.directives import reminders


@task()
def remind_due_assignments() -> dict:
    return asdict(reminders.remind_due_assignments())
