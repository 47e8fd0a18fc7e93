"""Background entry points of the vulns app: call one function, nothing else."""

from __future__ import annotations

from dataclasses import asdict

from django_tasks import task

from citysoc.vulns import feeds, work


@task()
def pull_feeds() -> dict:
    return feeds.pull_due()


@task()
def expire_acceptances() -> int:
    return work.expire_acceptances()


@task()
def remind_due() -> dict:
    return asdict(work.remind_due())
