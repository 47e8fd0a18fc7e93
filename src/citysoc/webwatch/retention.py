"""Keep the check history small: raw runs for `WEBWATCH_RETENTION_DAYS`, then hourly sums.

A monitor checked every 5 minutes writes 288 runs a day; after the retention period they
become 24 hourly rows, kept `WEBWATCH_AGGREGATE_RETENTION_DAYS` (for yearly uptime).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncHour
from django.utils import timezone

from citysoc.webwatch.models import CheckRun, HourlyStat

logger = logging.getLogger(__name__)

BATCH = 5000


def retention_days() -> int:
    return int(getattr(settings, "WEBWATCH_RETENTION_DAYS", 30))


def aggregate_retention_days() -> int:
    return int(getattr(settings, "WEBWATCH_AGGREGATE_RETENTION_DAYS", 400))


def prune(now: dt.datetime | None = None) -> dict:
    """Roll up and delete runs past retention, and delete roll-ups past theirs."""
    now = now or timezone.now()
    # Whole hours only, so an hour is rolled up once, never half now and half tomorrow.
    cutoff = (now - dt.timedelta(days=retention_days())).replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        rolled = _roll_up(cutoff)
        deleted, _ = CheckRun.objects.filter(at__lt=cutoff).delete()
        old_stats = now - dt.timedelta(days=aggregate_retention_days())
        stats_deleted, _ = HourlyStat.objects.filter(hour__lt=old_stats).delete()
    logger.info(
        "webwatch prune: %d runs rolled into %d hourly rows; %d old hourly rows deleted",
        deleted,
        rolled,
        stats_deleted,
    )
    return {"runs_deleted": deleted, "hours_rolled": rolled, "hourly_deleted": stats_deleted}


def _roll_up(cutoff: dt.datetime) -> int:
    rows = (
        CheckRun.objects.filter(at__lt=cutoff)
        .annotate(hour=TruncHour("at", tzinfo=dt.UTC))
        .values("monitor_id", "hour")
        .annotate(
            checks=Count("pk"),
            up_checks=Count("pk", filter=Q(up=True)),
            timed_checks=Count("response_ms"),
            total_ms=Sum("response_ms"),
            max_ms=Max("response_ms"),
        )
        .order_by()
    )
    sums = {(r["monitor_id"], r["hour"]): r for r in rows}
    if not sums:
        return 0
    existing = {
        (s.monitor_id, s.hour): s
        for s in HourlyStat.objects.filter(
            monitor_id__in={m for m, _h in sums}, hour__in={h for _m, h in sums}
        )
    }
    new, changed = [], []
    for key, row in sums.items():
        stat = existing.get(key)
        if stat is None:
            stat = HourlyStat(monitor_id=key[0], hour=key[1])
            new.append(stat)
        else:
            changed.append(stat)  # an hour rolled up before (the retention was shortened)
        stat.checks += row["checks"]
        stat.up_checks += row["up_checks"]
        stat.timed_checks += row["timed_checks"]
        stat.total_ms += row["total_ms"] or 0
        stat.max_ms = max(stat.max_ms, row["max_ms"] or 0)
    HourlyStat.objects.bulk_create(new, batch_size=BATCH)
    HourlyStat.objects.bulk_update(
        changed, ["checks", "up_checks", "timed_checks", "total_ms", "max_ms"], batch_size=BATCH
    )
    return len(sums)
