"""Background entry points of the reports: the weekly snapshot and the weekly report mail."""

from __future__ import annotations

from django_tasks import task

from citysoc.reports import mailing, snapshots


@task()
def snapshot_scores() -> int:
    return snapshots.take()


@task()
def mail_weekly_report() -> int | None:
    return mailing.mail_weekly_if_due()
