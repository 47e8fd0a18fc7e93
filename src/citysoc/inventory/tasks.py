"""Background entry points of the inventory: load by id, call one function."""

from __future__ import annotations

from dataclasses import asdict

from django_tasks import task

from citysoc.inventory import reminders


@task()
def remind_unapproved_levels() -> dict:
    return asdict(reminders.remind_unapproved_levels())
