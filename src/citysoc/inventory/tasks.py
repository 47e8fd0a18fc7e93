"""Background entry points of the inventory: load by id, call one function.

Imports run on their own queue (settings.TASK_QUEUE_IMPORTS) with their own worker, so a
long file never delays escalations; a job that raises ends "failed", never "running".
"""

from __future__ import annotations

from dataclasses import asdict

from django.conf import settings
from django_tasks import task

from citysoc.core.jobs import marks_failed
from citysoc.inventory import reminders


@task()
def remind_unapproved_levels() -> dict:
    return asdict(reminders.remind_unapproved_levels())


@task(queue_name=settings.TASK_QUEUE_IMPORTS)
@marks_failed("inventory.ImportJob")
def check_import(job_id: int) -> dict:
    """Read and validate an uploaded import file; its errors feed the preview page."""
    from citysoc.inventory import import_jobs

    return import_jobs.check_job(job_id)


@task(queue_name=settings.TASK_QUEUE_IMPORTS)
@marks_failed("inventory.ImportJob")
def run_import(job_id: int) -> dict:
    """Validate again and write an import job's rows in one transaction."""
    from citysoc.inventory import import_jobs

    return import_jobs.run_job(job_id)
