"""Background entry points of the inventory: load by id, call one function."""

from __future__ import annotations

from dataclasses import asdict

from django_tasks import task

from citysoc.inventory import reminders


@task()
def remind_unapproved_levels() -> dict:
    return asdict(reminders.remind_unapproved_levels())


@task()
def check_import(job_id: int) -> dict:
    """Read and validate an uploaded import file; its errors feed the preview page."""
    from citysoc.inventory import importing

    return importing.check_job(job_id)


@task()
def run_import(job_id: int) -> dict:
    """Validate again and write an import job's rows in one transaction."""
    from citysoc.inventory import importing

    return importing.run_job(job_id)
