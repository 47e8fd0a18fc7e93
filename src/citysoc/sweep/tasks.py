"""Background entry points of the sweep area: call one function, nothing else."""

from __future__ import annotations

from django_tasks import task


@task()
def check_silent_agents() -> int:
    """Raise an alert for each agent not heard for a day (scheduled hourly)."""
    from citysoc.sweep import heartbeats

    return heartbeats.check_silent()
