"""The intake service: dedupe by key, every event stored, ack/resolve, reopen after resolve."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from citysoc.alerts import intake
from citysoc.alerts.models import Alert, AlertEvent, AlertSource, MaintenanceWindow
from citysoc.alerts.sources.base import Event

pytestmark = pytest.mark.django_db


def _event(key="k1", action="trigger", severity="high", when=None) -> Event:
    return Event(
        action=action,
        dedup_key=key,
        severity=severity,
        source="generic",
        summary=f"disk full on {key}",
        details={"n": 1},
        occurred_at=when or timezone.now(),
    )


@pytest.fixture
def source(unit_a):
    return AlertSource.objects.create(unit=unit_a, kind="generic", name="monitor")


def test_repeats_of_one_key_make_one_alert_with_a_count_and_every_event_kept(source):
    t0 = timezone.now()
    events = [_event(when=t0 + dt.timedelta(seconds=i)) for i in range(5)] + [_event("k2")]
    result = intake.ingest(source, events)
    assert (result.created, result.repeated) == (2, 4)
    alert = Alert.objects.get(dedup_key="k1")
    assert alert.count == 5
    assert alert.last_seen == t0 + dt.timedelta(seconds=4)
    assert AlertEvent.objects.count() == 6
    assert result.alert_ids == [alert.pk] * 5 + [Alert.objects.get(dedup_key="k2").pk]
    # A second batch counts on the same alert.
    intake.ingest(source, [_event()])
    alert.refresh_from_db()
    assert alert.count == 6


def test_resolve_closes_and_the_next_trigger_opens_a_new_alert(source):
    intake.ingest(source, [_event()])
    result = intake.ingest(source, [_event(action="resolve"), _event(action="acknowledge")])
    assert result.resolved == 1
    assert result.ignored == [(1, "no open alert with dedup key 'k1'")]
    intake.ingest(source, [_event()])
    assert list(Alert.objects.order_by("pk").values_list("status", flat=True)) == [
        "resolved",
        "triggered",
    ]


def test_acknowledge_by_a_person_stops_escalation_once(source):
    alert = intake.raise_alert(
        source.unit, kind="system", dedup_key="x", severity="high", summary="down"
    )
    alert.next_escalation_at = timezone.now()
    alert.save()
    assert intake.acknowledge(alert, by="an officer")
    assert not intake.acknowledge(alert, by="another officer")
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by, alert.next_escalation_at) == (
        "acknowledged",
        "an officer",
        None,
    )


def test_a_maintenance_window_stores_the_alert_silenced(source):
    now = timezone.now()
    MaintenanceWindow.objects.create(
        unit=source.unit,
        source=source,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=1),
        reason="patching",
    )
    intake.ingest(source, [_event()])
    alert = Alert.objects.get()
    assert alert.silenced and alert.next_escalation_at is None
