"""Intel's heartbeats: late feeds and silent log folders raise an alert.

Registered with `alerts.heartbeats` from `IntelConfig.ready()` (kinds "feed" and
"logfolder"); the rules for raising and resolving are there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import PurePath

from django.conf import settings
from django.db.models import Max
from django.utils.translation import gettext as _

from citysoc.alerts import heartbeats
from citysoc.core.models import Unit
from citysoc.intel import fetching
from citysoc.intel.models import IndicatorSource, LogFolder, LogUpload


def late_feeds(now: dt.datetime) -> Iterable[heartbeats.Silence]:
    city = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    if city is None:
        return
    for feed in IndicatorSource.objects.filter(active=True).exclude(url=""):
        every = dt.timedelta(days=feed.expected_every_days)
        if fetching.staleness(feed.last_new_at or feed.created_at, now, every) != "late":
            continue
        details = {"feed_id": feed.pk, "url": feed.url, "last_error": feed.last_error}
        summary = _("Feed %(feed)s has had nothing new since %(when)s (expected every %(every)s)")
        yield heartbeats.Silence(
            key=f"{heartbeats.PREFIX}feed:{feed.pk}",
            unit=city,
            summary=summary
            % {
                "feed": feed.name,
                "when": heartbeats.when(feed.last_new_at or feed.created_at),
                "every": heartbeats.duration(every),
            },
            since=(feed.last_new_at or feed.created_at) + 2 * every,
            details=details,
        )


def silent_log_folders(now: dt.datetime) -> Iterable[heartbeats.Silence]:
    window = dt.timedelta(hours=int(getattr(settings, "CITYSOC_LOG_FOLDER_SILENT_HOURS", 48)))
    folders = list(LogFolder.objects.filter(active=True).select_related("unit"))
    last_files = _last_files(folders)
    for folder in folders:
        key = f"{heartbeats.PREFIX}logfolder:{folder.pk}"
        last = last_files.get((folder.unit_id, str(PurePath(folder.path))))
        if folder.last_error:
            summary = _("Log folder %(path)s cannot be read: %(error)s") % {
                "path": folder.path,
                "error": folder.last_error,
            }
            since = folder.last_scan_at or now
        elif last is not None and now - last > window:
            summary = _("No new log file in %(path)s since %(when)s") % {
                "path": folder.path,
                "when": heartbeats.when(last),
            }
            since = last + window
        else:
            continue
        yield heartbeats.Silence(
            key, folder.unit, summary, since, {"folder_id": folder.pk, "path": folder.path}
        )


def _last_files(folders: list[LogFolder]) -> dict[tuple[int, str], dt.datetime]:
    # The folder scan records each file it picks up as a LogUpload whose origin is the folder.
    rows = (
        LogUpload.objects.filter(origin__in={str(PurePath(f.path)) for f in folders})
        .values("unit_id", "origin")
        .annotate(last=Max("created_at"))
    )
    return {(row["unit_id"], row["origin"]): row["last"] for row in rows}
