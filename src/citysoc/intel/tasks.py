"""Background entry points of the intel app: load by id, call one function."""

from __future__ import annotations

from django_tasks import task


@task()
def import_version(version_id: int) -> dict:
    """Parse, match and open tasks for an uploaded list version, then retro-hunt the logs."""
    from citysoc.intel import importing
    from citysoc.intel.models import ListVersion

    version = ListVersion.objects.select_related("source").get(pk=version_id)
    return importing.process(version).as_json()


@task()
def scan_log(log_id: int, version_ids: list[int] | None = None) -> dict:
    """Match an uploaded log (against the newest lists, or the given versions)."""
    from citysoc.intel import logscan
    from citysoc.intel.models import ListVersion, LogUpload

    log = LogUpload.objects.select_related("unit").get(pk=log_id)
    versions = None
    if version_ids:
        versions = list(ListVersion.objects.filter(pk__in=version_ids).select_related("source"))
    return logscan.scan(log, versions)


@task()
def pull_feeds() -> dict:
    """Pull every feed whose interval has passed; flag the late ones (scheduled hourly)."""
    from citysoc.intel import feeds

    return feeds.pull_due()


@task()
def scan_log_folders() -> dict:
    """Pick up new files from the units' log folders (scheduled every 15 minutes)."""
    from citysoc.intel import folders

    return folders.scan_all()
