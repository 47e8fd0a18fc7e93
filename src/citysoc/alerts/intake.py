"""Alert intake: events in our contract become stored alerts, deduplicated, escalation armed.

Every caller ends here: the HTTP intake endpoints, the syslog listener, website checks,
heartbeats. A batch is one transaction: either all its events are stored or none.

Dedupe: an event whose (source, dedup key) names an open alert raises that alert's count and
last-seen; otherwise it opens a new alert. Every event is also stored as an `AlertEvent`, so
a storm loses nothing; notifications are the escalation's business (`escalation.py`), which
groups them per source.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, DateTimeField, F, Q, Value, When
from django.utils import timezone

from citysoc.alerts.models import (
    Alert,
    AlertEvent,
    AlertLog,
    AlertSource,
    EscalationPolicy,
    MaintenanceWindow,
)
from citysoc.alerts.sources.base import Event
from citysoc.core.models import Unit

log = logging.getLogger(__name__)

OPEN = (Alert.Status.TRIGGERED, Alert.Status.ACKNOWLEDGED)
# "Not resolved" is written as the open-alert unique index's own condition, so that the
# database answers the dedupe lookup from that index alone.
NOT_RESOLVED = ~Q(status=Alert.Status.RESOLVED)
# A busy source would otherwise rewrite its own row on every request, and every
# concurrent request would queue behind that row lock. Heartbeats count in minutes.
LAST_EVENT_PRECISION = dt.timedelta(seconds=1)

# The tools that post over HTTP (`POST /api/alerts/intake/<kind>/`), in the order shown.
HTTP_KINDS = ("generic", "wazuh", "suricata", "zeek", "alertmanager")


def intake_url(kind: str) -> str:
    """The address a tool of this kind posts to, on this hub (SITE_URL)."""
    return f"{settings.SITE_URL.rstrip('/')}/api/alerts/intake/{kind}/"


@dataclass
class IntakeResult:
    """What one batch did, for the 202 answer and the syslog listener's counters."""

    alert_ids: list[int] = field(default_factory=list)  # one per event applied, in order
    created: int = 0
    repeated: int = 0
    acknowledged: int = 0
    resolved: int = 0
    # (position in the batch, reason): acknowledge/resolve for a key with no open alert.
    ignored: list[tuple[int, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "alert_ids": self.alert_ids,
            "created": self.created,
            "repeated": self.repeated,
            "acknowledged": self.acknowledged,
            "resolved": self.resolved,
            "ignored": [{"index": i, "reason": r} for i, r in self.ignored],
        }


def policy_for(source: AlertSource) -> EscalationPolicy | None:
    """The source's own policy, else its unit's default, else the nearest parent's default."""
    if source.escalation_policy_id:
        return source.escalation_policy
    # One query for the whole chain: the unit's path "/1/7/23/" lists its ancestors.
    chain = [int(pk) for pk in source.unit.path.strip("/").split("/") if pk]
    defaults = EscalationPolicy.objects.filter(
        Q(unit_id__in=chain) | Q(unit__isnull=True), is_default=True
    ).order_by("name", "pk")
    nearest: dict[int | None, EscalationPolicy] = {}
    for policy in defaults:
        nearest.setdefault(policy.unit_id, policy)
    for unit_id in [*reversed(chain), None]:
        if unit_id in nearest:
            return nearest[unit_id]
    # No default anywhere yet (a fresh install): the city's default is made on first use,
    # so the very first alert escalates too.
    from citysoc.alerts import escalation

    return escalation.default_policy()


def in_maintenance(source: AlertSource, at: dt.datetime) -> bool:
    return MaintenanceWindow.objects.filter(
        Q(source=source) | Q(source__isnull=True, unit_id=source.unit_id),
        starts_at__lte=at,
        ends_at__gt=at,
    ).exists()


def ingest(
    source: AlertSource, events: Iterable[Event], *, now: dt.datetime | None = None
) -> IntakeResult:
    """Store a batch of events from one source; return what happened to each."""
    events = list(events)
    now = now or timezone.now()
    if not events:
        return IntakeResult()
    with _one_writer():
        try:
            result = _ingest_once(source, events, now)
        except IntegrityError:
            # Another request opened an alert for one of our keys between our read and our
            # insert: the second try finds it open and counts a repeat instead.
            result = _ingest_once(source, events, now)
    if result.created:
        _kick_escalation()
    return result


_sqlite_writer = threading.Lock()


def _one_writer():
    """On SQLite, let one thread of this process write at a time.

    SQLite has one writer; threads that collide wait in its busy handler, which sleeps in
    steps of up to 100 ms. Queueing on a lock in the process instead keeps a burst's
    latency to the time the writes really take.
    """
    if connection.vendor == "sqlite":
        return _sqlite_writer
    return contextlib.nullcontext()


def _ingest_once(source: AlertSource, events: list[Event], now: dt.datetime) -> IntakeResult:
    result = IntakeResult()
    with transaction.atomic():
        if len(events) == 1 and _repeat_one(source, events[0], now, result):
            return result
        batch = _Batch(source, events, now, result)
        for index, event in enumerate(events):
            batch.apply(index, event)
        batch.save()
        _mark_heard(source, now)
    return result


class _Batch:
    """The state of one batch inside its transaction: open alerts by key, rows to write."""

    def __init__(self, source: AlertSource, events: list[Event], now: dt.datetime, result):
        self.source, self.now, self.result = source, now, result
        keys = {e.dedup_key[:255] for e in events}
        self.open_alerts = {
            a.dedup_key: a
            for a in Alert.objects.filter(NOT_RESOLVED, source=source, dedup_key__in=keys)
        }
        # Maintenance and the policy only matter for a new alert; most events repeat one.
        self._silenced: bool | None = None
        self._policy: list[EscalationPolicy | None] = []
        self.repeats: dict[int, list] = {}  # alert pk → [count, last_seen]
        self.events: list[AlertEvent] = []
        self.timeline: list[AlertLog] = []

    @property
    def silenced(self) -> bool:
        if self._silenced is None:
            self._silenced = in_maintenance(self.source, self.now)
        return self._silenced

    @property
    def policy(self) -> EscalationPolicy | None:
        if not self._policy:
            self._policy.append(None if self.silenced else policy_for(self.source))
        return self._policy[0]

    def log(self, alert: Alert, kind: str) -> None:
        self.timeline.append(_entry(alert, self.now, kind, self.source.name))

    def apply(self, index: int, event: Event) -> None:
        key = event.dedup_key[:255]
        alert = self.open_alerts.get(key)
        if event.action == "trigger":
            alert = self.trigger(event, key, alert)
        elif alert is None:
            self.result.ignored.append((index, f"no open alert with dedup key {key!r}"))
            return
        elif event.action == "acknowledge":
            if alert.status == Alert.Status.TRIGGERED:
                _set_status(alert, Alert.Status.ACKNOWLEDGED, self.source.name, self.now)
                self.log(alert, AlertLog.Kind.ACKNOWLEDGED)
            self.result.acknowledged += 1
        else:  # resolve
            _set_status(alert, Alert.Status.RESOLVED, self.source.name, self.now)
            self.log(alert, AlertLog.Kind.RESOLVED)
            del self.open_alerts[key]
            self.result.resolved += 1
        self.result.alert_ids.append(alert.pk)
        self.events.append(
            AlertEvent(
                alert=alert,
                action=event.action,
                received_at=self.now,
                occurred_at=event.occurred_at,
                summary=event.summary,
                details=event.details,
            )
        )

    def trigger(self, event: Event, key: str, alert: Alert | None) -> Alert:
        seen = event.occurred_at or self.now
        if alert is not None:
            bump = self.repeats.setdefault(alert.pk, [0, seen])
            bump[0] += 1
            bump[1] = max(bump[1], seen)
            self.result.repeated += 1
            return alert
        source = self.source
        alert = _new_alert(source, event, key, seen, self.now, self.silenced, self.policy)
        self.open_alerts[key] = alert
        self.result.created += 1
        self.log(alert, AlertLog.Kind.TRIGGERED)
        if self.silenced:
            self.log(alert, AlertLog.Kind.SILENCED)
        return alert

    def save(self) -> None:
        for pk, (count, last_seen) in self.repeats.items():
            Alert.objects.filter(pk=pk).update(
                count=F("count") + count,
                last_seen=_later(last_seen),
            )
        AlertEvent.objects.bulk_create(self.events, batch_size=500)
        if self.timeline:
            AlertLog.objects.bulk_create(self.timeline, batch_size=500)


def _repeat_one(source: AlertSource, event: Event, now: dt.datetime, result) -> bool:
    """The hot path: one trigger for a key that is open. False when it is not that case.

    One UPDATE … RETURNING finds and counts the open alert, instead of a read, an ORM
    update and their query building: this is what a storm of repeats costs per request.
    """
    if event.action != "trigger":
        return False
    seen = connection.ops.adapt_datetimefield_value(event.occurred_at or now)
    table = connection.ops.quote_name(Alert._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET count = count + 1, "  # noqa: S608 - names are ours
            "last_seen = CASE WHEN last_seen < %s THEN %s ELSE last_seen END "
            "WHERE source_id = %s AND dedup_key = %s AND NOT (status = %s) RETURNING id",
            [seen, seen, source.pk, event.dedup_key[:255], Alert.Status.RESOLVED],
        )
        row = cursor.fetchone()
    if row is None:
        return False
    _insert_event(row[0], event, now)
    _mark_heard(source, now)
    result.repeated = 1
    result.alert_ids.append(row[0])
    return True


def _insert_event(alert_id: int, event: Event, now: dt.datetime) -> None:
    """INSERT one AlertEvent without the ORM's per-call overhead (the hot path's second write)."""
    meta = AlertEvent._meta
    columns = ("alert_id", "action", "received_at", "occurred_at", "summary", "details")
    values = [
        alert_id,
        event.action,
        connection.ops.adapt_datetimefield_value(now),
        connection.ops.adapt_datetimefield_value(event.occurred_at),
        event.summary,
        meta.get_field("details").get_db_prep_value(event.details, connection),
    ]
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({names}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            values,
        )


def _mark_heard(source: AlertSource, now: dt.datetime) -> None:
    """Record that the source spoke (heartbeats), at most once per LAST_EVENT_PRECISION.

    The source object (kept a few seconds by the token cache) remembers when this process
    last wrote, so a storm of repeats costs no extra query; after a silence alert the
    database's `silent_alerted_at` makes the next write go through.
    """
    last = source.last_event_at
    if (
        last is not None
        and source.silent_alerted_at is None
        and dt.timedelta(0) <= now - last < LAST_EVENT_PRECISION
    ):
        return
    source.last_event_at, source.silent_alerted_at = now, None
    AlertSource.objects.filter(
        Q(last_event_at__isnull=True)
        | Q(last_event_at__lt=now - LAST_EVENT_PRECISION)
        | Q(silent_alerted_at__isnull=False),
        pk=source.pk,
    ).update(last_event_at=now, silent_alerted_at=None)


def _later(seen: dt.datetime):
    # last_seen only moves forward: an old event replayed late must not pull it back.
    return Case(
        When(last_seen__lt=seen, then=Value(seen, output_field=DateTimeField())),
        default=F("last_seen"),
    )


def _new_alert(
    source: AlertSource,
    event: Event,
    key: str,
    seen: dt.datetime,
    now: dt.datetime,
    silenced: bool,
    policy: EscalationPolicy | None,
) -> Alert:
    urgency = event.details.get("urgency") if isinstance(event.details, dict) else None
    return Alert.objects.create(
        unit_id=source.unit_id,
        source=source,
        dedup_key=key,
        severity=event.severity,
        severity_word=event.severity_word[:40],
        urgency=urgency if urgency in ("high", "low") else source.urgency,
        summary=event.summary,
        details=event.details,
        links=event.links,
        host=event.host[:255],
        src_ip=event.src_ip[:45],
        dst_ip=event.dst_ip[:45],
        first_seen=seen,
        last_seen=seen,
        silenced=silenced,
        escalation_policy=policy,
        next_escalation_at=None if silenced or policy is None else now,
    )


def _set_status(alert: Alert, status: str, actor: str, now: dt.datetime) -> None:
    changes: dict = {"status": status}
    if status == Alert.Status.ACKNOWLEDGED:
        changes |= {"acknowledged_at": now, "acknowledged_by": actor}
    if status == Alert.Status.RESOLVED:
        changes |= {"resolved_at": now, "resolved_by": actor}
    # Either way the escalation stops: somebody (or the tool) has it in hand.
    changes["next_escalation_at"] = None
    Alert.objects.filter(pk=alert.pk).update(**changes)
    for name, value in changes.items():
        setattr(alert, name, value)


def _entry(alert: Alert, at: dt.datetime, kind: str, actor: str, text: str = "") -> AlertLog:
    return AlertLog(alert=alert, at=at, kind=kind, actor=actor[:150], text=text)


def _kick_escalation() -> None:
    """Ask the worker to notify now rather than at the next scheduler minute."""
    from citysoc.alerts.escalation import escalate_due

    transaction.on_commit(lambda: _enqueue(escalate_due))


# A storm opens hundreds of alerts a second; one escalation run handles all that are due,
# so a process queues at most one run now and one deferred run per KICK_EVERY.
KICK_EVERY = 1.0
_kicks = {"now": -1e9, "deferred": -1e9}
_kick_lock = threading.Lock()


def _enqueue(runner) -> None:
    try:
        with _kick_lock:
            _throttled_enqueue(runner, time.monotonic())
    except Exception:  # the scheduler's minute tick still runs it; never fail an intake for it
        log.exception("could not queue the escalation task; the scheduler will run it")


def _throttled_enqueue(runner, now: float) -> None:
    if now - _kicks["now"] >= KICK_EVERY or not runner.get_backend().supports_defer:
        runner.enqueue()
        _kicks["now"] = now
        return
    window_end = _kicks["now"] + KICK_EVERY
    if _kicks["deferred"] >= window_end:
        return  # a run is already queued for after this commit
    delay = dt.timedelta(seconds=window_end - now)
    runner.using(run_after=timezone.now() + delay).enqueue()
    _kicks["deferred"] = window_end


def acknowledge(alert: Alert, *, by: str, now: dt.datetime | None = None) -> bool:
    """Acknowledge an open alert; False when it was not triggered any more."""
    return _transition(alert, Alert.Status.ACKNOWLEDGED, AlertLog.Kind.ACKNOWLEDGED, by, now)


def resolve(alert: Alert, *, by: str, now: dt.datetime | None = None) -> bool:
    """Resolve an open alert; False when it was already resolved."""
    return _transition(alert, Alert.Status.RESOLVED, AlertLog.Kind.RESOLVED, by, now)


def _transition(alert: Alert, status: str, kind: str, by: str, now: dt.datetime | None) -> bool:
    now = now or timezone.now()
    allowed = [Alert.Status.TRIGGERED] if status == Alert.Status.ACKNOWLEDGED else list(OPEN)
    changes: dict = {"status": status, "next_escalation_at": None}
    if status == Alert.Status.ACKNOWLEDGED:
        changes |= {"acknowledged_at": now, "acknowledged_by": by[:150]}
    else:
        changes |= {"resolved_at": now, "resolved_by": by[:150]}
    with transaction.atomic():
        # Conditional UPDATE: of two people pressing the button, one changes the alert.
        changed = Alert.objects.filter(pk=alert.pk, status__in=allowed).update(**changes)
        if changed:
            AlertLog.objects.create(alert=alert, at=now, kind=kind, actor=by[:150])
    if changed:
        for name, value in changes.items():
            setattr(alert, name, value)
    return bool(changed)


def system_source(unit: Unit, kind: str, name: str) -> AlertSource:
    """The token-less source citysoc itself raises alerts through (website watch, heartbeats)."""
    source, _ = AlertSource.objects.get_or_create(
        unit=unit, kind=kind, name=name, defaults={"enabled": True}
    )
    return source


def raise_alert(
    unit: Unit,
    *,
    kind: str,
    dedup_key: str,
    severity: str,
    summary: str,
    details: dict | None = None,
    links: list[str] | None = None,
    action: str = "trigger",
    source_name: str = "",
    host: str = "",
) -> Alert | None:
    """For citysoc's own checks: trigger (or resolve) one alert of `unit`.

    `kind` is an AlertSource kind ("webwatch", "system"); `source_name` names the source
    (default: the kind's label). Returns the alert, or None for a resolve of nothing open.
    """
    source = system_source(unit, kind, source_name or str(AlertSource.Kind(kind).label))
    event = Event(
        action=action,
        dedup_key=dedup_key,
        severity=severity,
        source=kind,
        summary=" ".join(summary.split())[:200],
        details=details or {},
        occurred_at=timezone.now(),
        links=links or [],
        host=host,
    )
    result = ingest(source, [event])
    if not result.alert_ids:
        return None
    return Alert.objects.get(pk=result.alert_ids[0])
