"""Background entry points of the intel app: load by id, call one function.

Reading lists and logs runs on the imports queue (settings.TASK_QUEUE_IMPORTS) with its
own worker, so a big list or log never delays escalations; a list version or log that
raises ends "failed" with a reason, never "running".
"""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from citysoc.core.jobs import marks_failed

IMPORTS = settings.TASK_QUEUE_IMPORTS


@task(queue_name=IMPORTS)
@marks_failed("intel.ListVersion")
def import_version(version_id: int) -> dict:
    """Parse, match and open tasks for an uploaded list version, then retro-hunt the logs."""
    from citysoc.intel import importing
    from citysoc.intel.models import ListVersion

    version = ListVersion.objects.select_related("source").get(pk=version_id)
    result = importing.process(version).as_json()
    queue_retro_hunt(version)
    return result


def queue_retro_hunt(version) -> int:
    """Queue the new version's run against the logs kept in the retention window.

    The task layer queues follow-up work, so the import itself never imports this module
    (one direction: tasks → importing, feeds, folders, logscan).
    """
    from citysoc.intel import logscan

    found = logscan.retro_hunt(version)
    for log_id in found:
        scan_log.enqueue(log_id, [version.pk])
    return len(found)


@task(queue_name=IMPORTS)
@marks_failed("intel.LogUpload")
def scan_log(log_id: int, version_ids: list[int] | None = None) -> dict:
    """Match an uploaded log (against the newest lists, or the given versions)."""
    from citysoc.intel import logscan
    from citysoc.intel.models import ListVersion, LogUpload

    log = LogUpload.objects.select_related("unit").get(pk=log_id)
    versions = None
    if version_ids:
        versions = list(ListVersion.objects.filter(pk__in=version_ids).select_related("source"))
    return logscan.scan(log, versions).as_dict()


@task(queue_name=IMPORTS)
def pull_feeds() -> dict:
    """Pull every feed whose interval has passed; flag the late ones (scheduled hourly)."""
    from citysoc.intel import feeds
    from citysoc.intel.models import ListVersion

    report = feeds.pull_due()
    for version in ListVersion.objects.filter(pk__in=report["new_versions"]):
        queue_retro_hunt(version)
    return report


@task(queue_name=IMPORTS)
def scan_log_folders() -> dict:
    """Pick up new files from the units' log folders (scheduled every 15 minutes)."""
    from citysoc.intel import folders

    found = folders.scan_all()
    for ids in found.values():
        for log_id in ids:
            scan_log.enqueue(log_id)
    return {path: len(ids) for path, ids in found.items()}
