"""Background entry points of the webwatch app: load by id, call one function."""

from __future__ import annotations

from django_tasks import task


@task()
def run_checks() -> dict:
    """Check every monitor that is due (scheduled every minute)."""
    from citysoc.webwatch import runner

    return runner.run_due()


@task()
def check_monitor(monitor_id: int) -> dict:
    """Check one monitor now ("check now" on its page)."""
    from citysoc.webwatch import runner
    from citysoc.webwatch.models import Monitor

    monitor = Monitor.objects.select_related("unit").get(pk=monitor_id)
    return runner.check_monitors([monitor])


@task()
def prune() -> dict:
    """Roll up and delete check history past retention (scheduled daily)."""
    from citysoc.webwatch import retention

    return retention.prune()
