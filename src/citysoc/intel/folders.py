"""Log folders: a unit's log shipper drops files in a folder on the hub; new files are
picked up on schedule and matched like uploads (the file is copied into the data folder,
so the shipper may rotate or delete its own copy)."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from citysoc.intel.models import LogFolder, LogUpload

logger = logging.getLogger(__name__)


def scan_folder(folder: LogFolder) -> list[int]:
    """Create a log upload for every new or changed file; return their ids (the caller
    queues their matching: `tasks.scan_log_folders`)."""
    root = Path(folder.path)
    if not root.is_dir():
        # In the hub's language: the logs page shows it to the unit's officers.
        with translation.override(settings.LANGUAGE_CODE):
            message = _(
                "%(path)s is not a folder the hub can read; check the path and its permissions."
            ) % {"path": root}
        LogFolder.objects.filter(pk=folder.pk).update(
            last_error=message, last_scan_at=timezone.now()
        )
        return []
    seen = dict(folder.seen)
    made = []
    for path in sorted(root.glob(folder.pattern or "*")):
        if not path.is_file():
            continue
        stat = path.stat()
        mark = f"{stat.st_size}:{int(stat.st_mtime)}"
        if seen.get(path.name) == mark:
            continue
        with path.open("rb") as handle:
            log = LogUpload(
                unit=folder.unit,
                filename=path.name,
                format=folder.format,
                size=stat.st_size,
                origin=str(root),
            )
            log.file.save(path.name, File(handle), save=True)
        seen[path.name] = mark
        made.append(log.pk)
    LogFolder.objects.filter(pk=folder.pk).update(
        seen=seen, last_scan_at=timezone.now(), last_error=""
    )
    return made


def scan_all() -> dict[str, list[int]]:
    """Every active folder's new uploads, by folder path."""
    return {
        folder.path: scan_folder(folder)
        for folder in LogFolder.objects.filter(active=True).select_related("unit")
    }
