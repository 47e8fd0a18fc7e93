"""Periodic jobs: one function each, one line in SCHEDULE.

Each job is a `ScheduledJob` row. A scheduler claims a due row with a conditional UPDATE
(`WHERE next_run_at = <the value it read>`): of two schedulers that read the same row,
exactly one update matches, so a job never runs twice for the same slot — on SQLite and
on PostgreSQL alike, with no broker. The claimed job is handed to the task queue, so a
slow job never holds up the others.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path of a django-tasks task taking no arguments
    every: timedelta


SCHEDULE: list[Job] = [
    Job(
        "inventory.unapproved_levels_reminder",
        "citysoc.inventory.tasks.remind_unapproved_levels",
        timedelta(days=1),
    ),
    Job(
        "directives.due_reminder",
        "citysoc.directives.tasks.remind_due_assignments",
        timedelta(days=1),
    ),
    Job("compliance.duty_reminder", "citysoc.compliance.tasks.remind_duties", timedelta(days=1)),
    Job("notify.send_outbox", "citysoc.notify.tasks.send_outbox", timedelta(minutes=1)),
    Job("intel.pull_feeds", "citysoc.intel.tasks.pull_feeds", timedelta(hours=1)),
    Job("intel.log_folders", "citysoc.intel.tasks.scan_log_folders", timedelta(minutes=15)),
    Job("duty.gap_warning", "citysoc.duty.tasks.warn_roster_gaps", timedelta(days=1)),
    # Escalation steps wait in alert rows (next_escalation_at): a restart loses no timer.
    Job("alerts.escalate", "citysoc.alerts.tasks.escalate_due", timedelta(minutes=1)),
    Job("alerts.heartbeats", "citysoc.alerts.tasks.check_heartbeats", timedelta(minutes=5)),
    Job("webwatch.run_checks", "citysoc.webwatch.tasks.run_checks", timedelta(minutes=1)),
    Job("webwatch.prune", "citysoc.webwatch.tasks.prune", timedelta(days=1)),
    Job("reports.snapshot_scores", "citysoc.reports.tasks.snapshot_scores", timedelta(days=1)),
    Job("reports.weekly_mail", "citysoc.reports.tasks.mail_weekly_report", timedelta(hours=6)),
    Job("isps.escalate_overdue", "citysoc.isps.tasks.escalate_overdue", timedelta(minutes=15)),
    Job("awareness.daily", "citysoc.awareness.tasks.daily", timedelta(days=1)),
    Job("vulns.pull_feeds", "citysoc.vulns.tasks.pull_feeds", timedelta(hours=6)),
    Job("vulns.expire_acceptances", "citysoc.vulns.tasks.expire_acceptances", timedelta(days=1)),
    Job("vulns.due_reminder", "citysoc.vulns.tasks.remind_due", timedelta(days=1)),
    Job("sweep.silent_agents", "citysoc.sweep.tasks.check_silent_agents", timedelta(hours=1)),
    Job("incidents.remind", "citysoc.incidents.tasks.remind", timedelta(hours=1)),
]


def ensure_rows(schedule: list[Job] | None = None) -> None:
    """Create a row for every scheduled job (first run one interval from now)."""
    from citysoc.core.models import ScheduledJob

    now = timezone.now()
    for job in schedule or SCHEDULE:
        ScheduledJob.objects.get_or_create(
            name=job.name,
            defaults={"interval_seconds": int(job.every.total_seconds()), "next_run_at": now},
        )


def claim_due(worker_id: str, schedule: list[Job] | None = None) -> list[Job]:
    """Claim every due job for this scheduler; return the ones it won."""
    from citysoc.core.models import ScheduledJob

    jobs = {job.name: job for job in (schedule or SCHEDULE)}
    now = timezone.now()
    won: list[Job] = []
    for row in ScheduledJob.objects.filter(name__in=jobs, next_run_at__lte=now):
        job = jobs[row.name]
        with transaction.atomic():
            updated = ScheduledJob.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
                next_run_at=now + job.every,
                last_started_at=now,
                claimed_by=worker_id,
                run_count=row.run_count + 1,
            )
        if updated:
            won.append(job)
    return won


def run_once(worker_id: str, schedule: list[Job] | None = None) -> list[str]:
    """Claim due jobs and enqueue them; return the names enqueued."""
    names = []
    for job in claim_due(worker_id, schedule):
        task = import_string(job.task)
        task.enqueue()
        names.append(job.name)
        logger.info("scheduled job %s enqueued by %s", job.name, worker_id)
    return names


def loop(poll_seconds: float = 15.0, *, max_loops: int | None = None) -> None:
    worker_id = f"{socket.gethostname()}:{os.getpid()}"
    ensure_rows()
    logger.info("scheduler %s started with %d jobs", worker_id, len(SCHEDULE))
    loops = 0
    while max_loops is None or loops < max_loops:
        try:
            run_once(worker_id)
        except Exception:
            # A database hiccup must not kill the scheduler; the job is retried next poll.
            logger.exception("scheduler poll failed; retrying in %.0f s", poll_seconds)
        loops += 1
        time.sleep(poll_seconds)
