"""Feeds: sources with a URL, pulled on their interval; failures and silence are flagged.

A failed pull keeps the source's last error (shown in red on the lists page) and raises an
alert for the city (dedup key `feed:<id>:pull`, so escalation and the outbox tell the duty
officer once per new error, resolved by the next pull that works); a source with no new
version for twice its expected interval is shown as late. A pulled body identical to the
last version is not a new version (ETag/Last-Modified first, then the checksum).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from citysoc.core import outbound
from citysoc.core.models import Unit
from citysoc.intel import fetching, importing
from citysoc.intel.fetching import reasons
from citysoc.intel.models import IndicatorSource, ListVersion
from citysoc.notify import reach

logger = logging.getLogger(__name__)


@dataclass
class PullReport:
    pulled: list[str] = field(default_factory=list)
    new_versions: list[int] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    late: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "pulled": self.pulled,
            "new_versions": self.new_versions,
            "failed": self.failed,
            "late": self.late,
        }


def max_bytes() -> int:
    return int(getattr(settings, "CITYSOC_FEED_MAX_BYTES", 200 * 1024 * 1024))


def timeout() -> float:
    return float(getattr(settings, "CITYSOC_FEED_TIMEOUT", 30))


def staleness(source: IndicatorSource) -> str:
    """ "ok", "late" (no new version for twice the expected interval) or "never"."""
    return fetching.staleness(
        source.last_new_at, timezone.now(), timedelta(days=source.expected_every_days)
    )


def pull(source: IndicatorSource) -> ListVersion | None:
    """Pull one feed now; return the new version (already imported) or None if unchanged."""
    previous = ListVersion.objects.filter(source=source).order_by("-id").first()
    try:
        result = fetching.fetch(
            source.url,
            etag=source.etag,
            last_modified=source.last_modified,
            previous_sha256=previous.sha256 if previous else "",
            timeout=timeout(),
            max_bytes=max_bytes(),
            # Feeds are the city's: private addresses only as OUTBOUND_ALLOW lists them.
            outbound=outbound.policy_for(None),
        )
    except fetching.FetchError as exc:
        _failed(source, exc)
        raise
    source.last_checked_at = timezone.now()
    source.etag, source.last_modified = result.etag, result.last_modified
    had_error = bool(source.last_error)
    source.last_error = ""
    source.save(update_fields=["last_checked_at", "etag", "last_modified", "last_error"])
    if had_error:
        logger.info("feed %s works again", source.name)
        _alert(source, "resolve", "")
    if result.status != "new" or result.body is None:
        return None
    name = PurePosixPath(urlsplit(result.final_url or source.url).path).name or "feed.txt"
    version, created = importing.receive(
        source, result.body, name, period=timezone.localdate().strftime("%Y-%m-%d")
    )
    if created:
        importing.process(version)
    return version if created else None


def _failed(source: IndicatorSource, exc: fetching.FetchError) -> None:
    # Stored and alerted in the city's language: the lists page shows it to every officer;
    # the fetcher's own (English) words go to the log and the alert's details.
    with translation.override(settings.LANGUAGE_CODE):
        message = reasons.explain(exc, source.url)
    is_new = message != source.last_error
    IndicatorSource.objects.filter(pk=source.pk).update(
        last_error=message, last_checked_at=timezone.now()
    )
    source.last_error = message
    logger.error("feed %s failed: %s", source.name, exc)
    if is_new and not _alert(source, "trigger", message, detail=str(exc)):
        alert_city(
            _("[citysoc] Feed '%s' could not be pulled") % source.name,
            _("citysoc could not pull the feed '%(name)s' (%(url)s):\n\n%(error)s\n\n")
            % {"name": source.name, "url": source.url, "error": message}
            + _("The lists page shows the feed in red until a pull works again."),
        )


def _alert(source: IndicatorSource, action: str, error: str, detail: str = "") -> bool:
    """Raise (or resolve) the city's alert for a feed; False when there is no city unit."""
    from citysoc.alerts import intake

    city = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    if city is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        intake.raise_alert(
            city,
            kind="system",
            dedup_key=f"feed:{source.pk}:pull",
            severity="medium",
            summary=_("Feed '%(name)s' could not be pulled: %(error)s")
            % {"name": source.name, "error": error},
            details={"feed": source.name, "url": source.url, "error": error, "detail": detail},
            action=action,
            source_name=_("Feeds"),
        )
    return True


def alert_city(subject: str, body: str) -> None:
    """Tell the city's administrators through the outbox: only used when there is no city
    unit to raise an alert in."""
    with translation.override(settings.LANGUAGE_CODE):
        reach.tell_city(subject, body, topic="intel.feed-failed")


def due(now=None) -> list[IndicatorSource]:
    now = now or timezone.now()
    sources = IndicatorSource.objects.filter(active=True).exclude(url="")
    return [
        s
        for s in sources
        if s.last_checked_at is None or s.last_checked_at + timedelta(hours=s.every_hours) <= now
    ]


def pull_due() -> dict:
    report = PullReport()
    for source in due():
        report.pulled.append(source.name)
        try:
            version = pull(source)
        except fetching.FetchError as exc:
            report.failed[source.name] = str(exc)
            continue
        except Exception as exc:  # a bad file from a feed must not stop the other feeds
            logger.exception("feed %s: the pulled file could not be imported", source.name)
            report.failed[source.name] = str(exc)
            continue
        if version is not None:
            report.new_versions.append(version.pk)
    for source in IndicatorSource.objects.filter(active=True):
        if staleness(source) == "late":
            report.late.append(source.name)
    return report.as_dict()
