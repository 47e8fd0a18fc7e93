"""Heartbeats: things that should report regularly and went quiet raise an alert.

Each kind of watched thing is one function in WATCHES returning what is silent now; alerts
watches its own sources, and an area adds its kinds with `register()` from its
`AppConfig.ready()`. For each silence `check()` raises one "system" alert (severity high)
for the owning unit, keyed `heartbeat:<kind>:<pk>`, once per silence; when the thing
reports again (or is no longer watched: disabled, deleted) the next check resolves that
alert.

- source: an enabled AlertSource with `expected_every` (any kind, syslog senders
  included) and no event for longer than that, counted from `created_at` when it never
  sent one. `silent_alerted_at` marks the silence as reported; the intake clears it when
  events come back.
- feed (registered by intel, `intel/heartbeats.py`): an active indicator feed (a source
  with a URL) with no new version for twice its expected interval (the lists page's "late"
  rule, `intel.feeds.staleness`), counted from `created_at` when it never gave one. Feeds
  are the city's: the alert goes to the root unit.
- logfolder (registered by intel): an active log folder the hub cannot read
  (`last_error`), or whose last file arrived longer ago than
  CITYSOC_LOG_FOLDER_SILENT_HOURS (default 48). A folder that never received a file is
  only reported when it cannot be read: it has no creation time to count from.

Run every 5 minutes by the scheduler (`alerts.tasks.check_heartbeats`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from citysoc.alerts import intake
from citysoc.alerts.models import Alert, AlertSource
from citysoc.core.models import Unit

log = logging.getLogger(__name__)

PREFIX = "heartbeat:"


@dataclass
class Silence:
    """One watched thing that is silent now."""

    key: str  # heartbeat:<kind>:<pk>
    unit: Unit
    summary: str
    since: dt.datetime  # when it became overdue: one alert per silence
    details: dict = field(default_factory=dict)
    # Claims the silence before the alert is raised (conditional UPDATE); None: no claim.
    claim: Callable[[], bool] | None = None
    told: bool = False  # already reported (the source's silent_alerted_at)


def check(now: dt.datetime | None = None) -> dict:
    """Raise an alert for each new silence, resolve the alerts of things that recovered."""
    now = now or timezone.now()
    report: dict = {"raised": [], "resolved": [], "silent": 0}
    history = _heartbeat_alerts()
    with translation.override(settings.LANGUAGE_CODE):
        for kind, watch in WATCHES.items():
            silences = {s.key: s for s in watch(now)}
            report["silent"] += len(silences)
            for silence in silences.values():
                if _raise(silence, history):
                    report["raised"].append(silence.key)
            for key, (unit, is_open, _last) in history.items():
                if is_open and key.startswith(f"{PREFIX}{kind}:") and key not in silences:
                    intake.raise_alert(
                        unit, kind="system", dedup_key=key, severity="high",
                        summary=_("Reporting again"), action="resolve",
                    )  # fmt: skip
                    report["resolved"].append(key)
    return report


def _heartbeat_alerts() -> dict[str, tuple[Unit, bool, dt.datetime]]:
    """key → (unit, an alert is open, when the last alert for the key was raised)."""
    rows = (
        Alert.objects.filter(source__kind=AlertSource.Kind.SYSTEM, dedup_key__startswith=PREFIX)
        .values("dedup_key", "unit_id")
        .annotate(last=Max("first_seen"))
    )
    open_keys = set(
        Alert.objects.filter(
            source__kind=AlertSource.Kind.SYSTEM,
            dedup_key__startswith=PREFIX,
            status__in=intake.OPEN,
        ).values_list("dedup_key", flat=True)
    )
    units = Unit.objects.in_bulk({row["unit_id"] for row in rows})
    return {
        row["dedup_key"]: (units[row["unit_id"]], row["dedup_key"] in open_keys, row["last"])
        for row in rows
    }


def _raise(silence: Silence, history: dict) -> bool:
    _unit, is_open, last = history.get(silence.key, (None, False, None))
    if is_open or silence.told or (last is not None and last >= silence.since):
        return False  # already told about this silence
    if silence.claim is not None and not silence.claim():
        return False  # it reported between our read and now
    intake.raise_alert(
        silence.unit,
        kind="system",
        dedup_key=silence.key,
        severity="high",
        summary=silence.summary,
        details=silence.details,
    )
    log.warning("heartbeat: %s", silence.summary)
    return True


# --- what is watched --------------------------------------------------------------------


def silent_sources(now: dt.datetime) -> Iterable[Silence]:
    sources = AlertSource.objects.filter(enabled=True, expected_every__isnull=False)
    for source in sources.exclude(kind=AlertSource.Kind.SYSTEM).select_related("unit"):
        last = source.last_event_at or source.created_at
        if source.expected_every is None or now - last <= source.expected_every:
            continue  # (never None here: the query above keeps sources with an interval)
        yield Silence(
            key=f"{PREFIX}source:{source.pk}",
            unit=source.unit,
            summary=_source_summary(source),
            since=last + source.expected_every,
            details=_source_details(source),
            claim=_source_claim(source, now),
            told=source.silent_alerted_at is not None,
        )


def _source_summary(source: AlertSource) -> str:
    if source.last_event_at is None:
        return _("No event ever received from %(source)s (expected every %(every)s)") % {
            "source": source.name,
            "every": duration(source.expected_every),
        }
    return _("No event from %(source)s since %(when)s (expected every %(every)s)") % {
        "source": source.name,
        "when": when(source.last_event_at),
        "every": duration(source.expected_every),
    }


def _source_details(source: AlertSource) -> dict:
    details = {
        "source_id": source.pk,
        "kind": source.kind,
        "expected_every": str(source.expected_every),
    }
    if source.kind == AlertSource.Kind.SYSLOG:
        details["sender_addresses"] = [a for a in source.sender_ips.split() if a]
    return details


def _source_claim(source: AlertSource, now: dt.datetime) -> Callable[[], bool]:
    def claim() -> bool:
        # Only while nothing arrived since we read the row: the intake moves last_event_at.
        return bool(
            AlertSource.objects.filter(
                pk=source.pk, silent_alerted_at__isnull=True, last_event_at=source.last_event_at
            ).update(silent_alerted_at=now)
        )

    return claim


Watch = Callable[[dt.datetime], Iterable[Silence]]

# kind → what is silent now. Alerts' own sources are watched here; an area adds its watched
# things from its `AppConfig.ready()` with `register()` (intel: feeds, log folders), so
# alerts imports no area.
WATCHES: dict[str, Watch] = {"source": silent_sources}


def register(kind: str, watch: Watch) -> None:
    """Add (or replace, on a reloaded app) the watch of the kind `kind`."""
    WATCHES[kind] = watch


def when(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def duration(every: dt.timedelta | None) -> str:
    if every is None:
        return ""
    minutes = int(every.total_seconds() // 60)
    if minutes % 1440 == 0:
        return _("%(n)s d") % {"n": minutes // 1440}
    if minutes % 60 == 0:
        return _("%(n)s h") % {"n": minutes // 60}
    return _("%(n)s min") % {"n": minutes}
