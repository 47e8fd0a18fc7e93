"""Pull the CISA KEV catalogue and the EPSS scores on a schedule, through the feed fetcher.

Each feed is a `PriorityFeed` row with no address until the city administrator sets one on
`/vulns/feeds/` (the public addresses in SUGGESTED_URLS are shown there as suggestions): a
city on a network without Internet access gets no failing pull and no alert for a feed
nobody configured, and loads files with `citysoc vulns load-kev/load-epss FILE` instead.
Every pull goes through intel's fetcher: conditional GET, size limit, and the outbound
guard (citysoc.lib.outbound). A failed pull keeps its error (translated, feed_errors.py) on
the row and raises one alert for the city (resolved by the next pull that works).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from citysoc.core import outbound
from citysoc.core.models import Unit
from citysoc.intel import fetching
from citysoc.vulns import epss, feed_errors, kev
from citysoc.vulns.models import PriorityFeed

logger = logging.getLogger(__name__)

SUGGESTED_URLS: dict[str, str] = {
    PriorityFeed.Kind.KEV: "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json",
    PriorityFeed.Kind.EPSS: "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz",
}
LOADERS: dict[str, Callable[[bytes], kev.LoadResult]] = {
    PriorityFeed.Kind.KEV: kev.load,
    PriorityFeed.Kind.EPSS: epss.load,
}


def ensure_feeds() -> list[PriorityFeed]:
    """The two feed rows, created without an address unless the settings give one."""
    feeds = []
    for kind in SUGGESTED_URLS:
        url = getattr(settings, f"VULNS_{kind.upper()}_URL", "")
        feed, _created = PriorityFeed.objects.get_or_create(kind=kind, defaults={"url": url})
        feeds.append(feed)
    return feeds


def due(now=None) -> list[PriorityFeed]:
    now = now or timezone.now()
    return [
        f
        for f in ensure_feeds()
        if f.active
        and f.url
        and (f.last_checked_at is None or f.last_checked_at + timedelta(hours=f.every_hours) <= now)
    ]


def pull(feed: PriorityFeed) -> kev.LoadResult | None:
    """Pull one feed now; load it when it changed. Raises FetchError or FeedError."""
    try:
        result = fetching.fetch(
            feed.url,
            etag=feed.etag,
            last_modified=feed.last_modified,
            timeout=float(getattr(settings, "CITYSOC_FEED_TIMEOUT", 30)),
            max_bytes=epss.MAX_BYTES,
            outbound=outbound.policy_for(None),  # the city's request: no unit's ranges
        )
        loaded = None
        if result.status == "new" and result.body is not None:
            loaded = LOADERS[feed.kind](result.body)
    except (fetching.FetchError, kev.FeedError) as exc:
        _failed(feed, exc)
        raise
    feed.last_checked_at = timezone.now()
    feed.etag, feed.last_modified = result.etag, result.last_modified
    if loaded is not None:
        feed.last_loaded_at, feed.last_version, feed.records = (
            feed.last_checked_at,
            loaded.version[:100],
            loaded.kept,
        )
    had_error, feed.last_error = bool(feed.last_error), ""
    feed.save()
    if had_error:
        _alert(feed, "resolve", "")
    return loaded


def record_file_load(kind: str, loaded: kev.LoadResult) -> None:
    """A file loaded by hand counts as the feed's latest version (shown on the page)."""
    feed = next(f for f in ensure_feeds() if f.kind == kind)
    feed.last_loaded_at, feed.last_version, feed.records = (
        timezone.now(),
        loaded.version[:100],
        loaded.kept,
    )
    feed.save(update_fields=["last_loaded_at", "last_version", "records"])


def _failed(feed: PriorityFeed, exc: fetching.FetchError | kev.FeedError) -> None:
    # Stored and alerted in the city's language: the page shows it to every officer.
    with translation.override(settings.LANGUAGE_CODE):
        message = feed_errors.explain(exc, feed.url)
    is_new = message != feed.last_error
    PriorityFeed.objects.filter(pk=feed.pk).update(
        last_error=message, last_checked_at=timezone.now()
    )
    feed.last_error = message
    logger.error("vulns feed %s failed: %s", feed.kind, exc)
    if is_new:
        _alert(feed, "trigger", message, detail=str(exc))


def _alert(feed: PriorityFeed, action: str, error: str, detail: str = "") -> None:
    from citysoc.alerts import intake

    city = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    if city is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        intake.raise_alert(
            city,
            kind="system",
            dedup_key=f"vulns:feed:{feed.kind}",
            severity="medium",
            summary=_("Feed '%(name)s' could not be pulled: %(error)s")
            % {"name": feed.get_kind_display(), "error": error},
            details={"feed": feed.kind, "url": feed.url, "error": error, "detail": detail},
            action=action,
            source_name=str(_("Feeds")),
        )


def pull_due() -> dict:
    report: dict = {"pulled": [], "loaded": {}, "failed": {}}
    for feed in due():
        report["pulled"].append(feed.kind)
        try:
            loaded = pull(feed)
        except (fetching.FetchError, kev.FeedError) as exc:
            report["failed"][feed.kind] = str(exc)
            continue
        if loaded is not None:
            report["loaded"][feed.kind] = loaded.as_json()
    return report
