"""Background entry points of awareness: call one function, nothing else."""

from __future__ import annotations

from django_tasks import task

from citysoc.awareness import programmes


@task()
def daily() -> dict:
    return programmes.run_daily()
