"""Run the due website checks: claim monitors, build targets, check, record.

Claiming is the scheduler's trick (`citysoc/scheduler.py`): a conditional UPDATE on
`next_check_at` (`WHERE next_check_at = <the value read>`), so of two workers that read
the same monitor exactly one checks it, on SQLite and PostgreSQL alike. The checks
themselves know nothing of Django; `recording.record()` turns each result into rows,
findings and alerts.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from citysoc.core import outbound
from citysoc.webwatch import recording
from citysoc.webwatch.batch import check_many
from citysoc.webwatch.checks.base import SiteResult, Target
from citysoc.webwatch.fetch import FetchConfig
from citysoc.webwatch.models import Monitor

logger = logging.getLogger(__name__)

DEFAULT_LIMIT = 200


def claim_due(now: dt.datetime, limit: int = DEFAULT_LIMIT) -> list[Monitor]:
    """Claim up to `limit` enabled monitors whose check is due; return the ones won."""
    due = (
        Monitor.objects.filter(enabled=True, next_check_at__lte=now)
        .select_related("unit")
        .order_by("next_check_at", "pk")[:limit]
    )
    won = []
    for monitor in due:
        with transaction.atomic():
            updated = Monitor.objects.filter(
                pk=monitor.pk, next_check_at=monitor.next_check_at
            ).update(next_check_at=now + dt.timedelta(minutes=monitor.interval_minutes))
        if updated:
            won.append(monitor)
    return won


def blocklist() -> frozenset[str]:
    """Gambling/scam domains: the current intel lists' domains plus `WEBWATCH_BLOCKLIST`."""
    from citysoc.intel.logscan import latest_versions
    from citysoc.intel.models import Indicator

    configured = {d.strip().lower().rstrip(".") for d in _setting("WEBWATCH_BLOCKLIST", [])}
    listed = Indicator.objects.filter(version__in=latest_versions(), kind="domain").values_list(
        "value", flat=True
    )
    return frozenset({d for d in configured if d} | {v.lower().rstrip(".") for v in listed})


def target_for(monitor: Monitor, blocked: frozenset[str]) -> Target:
    """The checks' view of a monitor's settings."""
    values: dict[str, Any] = {
        "url": monitor.url,
        "expected_status": monitor.expected_status,
        "must_contain": monitor.must_contain,
        "must_not_contain": monitor.must_not_contain,
        "tls_warn_days": monitor.tls_warn_days,
        "domain_warn_days": monitor.domain_warn_days,
        "max_response_ms": monitor.max_response_ms,
        "crawl_depth": monitor.crawl_depth,
        "crawl_max_pages": monitor.crawl_max_pages,
        "baseline": monitor.baseline,
        "blocklist": blocked,
        "skip_checks": frozenset() if monitor.cloaking_check else frozenset({"cloaking"}),
        # Private addresses only inside the unit's own ranges or OUTBOUND_ALLOW.
        "outbound": outbound.policy_for(monitor.unit),
    }
    return Target(**values)


def fetch_config() -> FetchConfig:
    """The fetch rules from settings: a private CA to trust, the RDAP server for expiry."""
    return FetchConfig(
        ca_file=_setting("WEBWATCH_CA_FILE", "") or None,
        rdap_url=_setting("WEBWATCH_RDAP_URL", "") or None,
        outbound=outbound.policy_for(None),
    )


def run_due(
    now: dt.datetime | None = None,
    limit: int = DEFAULT_LIMIT,
    *,
    config: FetchConfig | None = None,
) -> dict:
    """Check every due monitor (at most `limit`); return counts for the task's result."""
    now = now or timezone.now()
    monitors = claim_due(now, limit)
    return check_monitors(monitors, now=now, config=config)


def check_monitors(
    monitors: Iterable[Monitor],
    *,
    now: dt.datetime | None = None,
    config: FetchConfig | None = None,
) -> dict:
    """Check these monitors now and record the results (also used by "check now")."""
    monitors = list(monitors)
    config = config or fetch_config()
    summary = {"checked": 0, "down": 0, "alerts": 0, "findings_opened": 0, "errors": 0}
    if not monitors:
        return summary
    blocked = blocklist()
    # Two monitors of the same URL (two units watching one portal) go in separate rounds,
    # because results come back keyed by URL.
    for batch in _rounds(monitors):
        by_url = {m.url: m for m in batch}
        results = _check_all([target_for(m, blocked) for m in batch], config)
        for result in results:
            monitor = by_url.pop(result.url, None)
            if monitor is None:
                logger.error("webwatch: a result for %s matches no monitor; ignored", result.url)
                continue
            _record_one(monitor, result, now, summary)
        for monitor in by_url.values():
            # The checks never answered for it: record it as down with the reason.
            missing = SiteResult(monitor.url, False, None, None, error="the check did not finish")
            _record_one(monitor, missing, now, summary)
    return summary


def _record_one(monitor: Monitor, result: SiteResult, now, summary: dict) -> None:
    try:
        outcome = recording.record(monitor, result, now=now or timezone.now())
    except Exception:
        # One monitor's bad data must not stop the others; the next run tries again.
        logger.exception("webwatch: could not record the check of monitor %s", monitor.pk)
        summary["errors"] += 1
        return
    summary["checked"] += 1
    summary["down"] += 0 if result.up else 1
    summary["alerts"] += outcome.alerts
    summary["findings_opened"] += outcome.opened


def _rounds(monitors: list[Monitor]) -> list[list[Monitor]]:
    rounds: list[list[Monitor]] = []
    for monitor in monitors:
        for batch in rounds:
            if all(m.url != monitor.url for m in batch):
                batch.append(monitor)
                break
        else:
            rounds.append([monitor])
    return rounds


def _check_all(targets: list[Target], config: FetchConfig) -> list[SiteResult]:
    async def collect() -> list[SiteResult]:
        return [
            r
            async for r in check_many(
                targets,
                concurrency=_setting("WEBWATCH_CONCURRENCY", 20),
                per_host=_setting("WEBWATCH_PER_HOST", 2),
                config=config,
            )
        ]

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(collect())
    # Called from code that already runs an event loop in this thread (an async caller,
    # a test driving a browser): run ours in a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, collect()).result()


def _setting(name: str, default):
    return getattr(settings, name, default)
