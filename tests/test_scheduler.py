from datetime import timedelta

from django.utils import timezone

from citysoc import scheduler
from citysoc.core.models import ScheduledJob

JOB = scheduler.Job(
    "test.reminder", "citysoc.inventory.tasks.remind_unapproved_levels", timedelta(hours=1)
)


def test_a_due_job_is_claimed_by_exactly_one_scheduler(db):
    scheduler.ensure_rows([JOB])
    first = scheduler.claim_due("scheduler-1", [JOB])
    second = scheduler.claim_due("scheduler-2", [JOB])
    assert first == [JOB]
    assert second == []
    row = ScheduledJob.objects.get(name=JOB.name)
    assert row.claimed_by == "scheduler-1"
    assert row.next_run_at > timezone.now() + timedelta(minutes=59)


def test_a_stale_read_cannot_claim_the_same_slot_twice(db):
    scheduler.ensure_rows([JOB])
    row = ScheduledJob.objects.get(name=JOB.name)
    # Two schedulers read the same row before either wrote: only one update may match.
    won = [
        ScheduledJob.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
            next_run_at=row.next_run_at + JOB.every, claimed_by=who
        )
        for who in ("one", "two")
    ]
    assert won == [1, 0]


def test_a_job_that_is_not_due_is_left_alone(db):
    scheduler.ensure_rows([JOB])
    ScheduledJob.objects.filter(name=JOB.name).update(
        next_run_at=timezone.now() + timedelta(hours=1)
    )
    assert scheduler.claim_due("scheduler-1", [JOB]) == []


def test_every_scheduled_task_exists_and_is_a_task():
    from django.utils.module_loading import import_string
    from django_tasks.base import Task

    for job in scheduler.SCHEDULE:
        assert isinstance(import_string(job.task), Task), job.task
