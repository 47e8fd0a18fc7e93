"""Background entry points of the duty area: call one function, nothing else."""

from __future__ import annotations

from dataclasses import asdict

from django_tasks import task


@task()
def warn_roster_gaps() -> dict:
    """Tell units' admins about gaps in rosters starting within 7 days (scheduled daily)."""
    from citysoc.duty import gapwarnings

    return asdict(gapwarnings.warn_gaps())
