"""The single-event repeat path (one UPDATE … RETURNING): same rows as the batch path."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from citysoc.alerts import intake
from citysoc.alerts.models import Alert, AlertEvent, AlertSource
from citysoc.alerts.sources.base import Event

pytestmark = pytest.mark.django_db


def _event(when, details=None, action="trigger") -> Event:
    return Event(
        action=action,
        dedup_key="fw-01|port-scan",
        severity="high",
        source="generic",
        summary="Port scan from 203.0.113.9",
        details=details or {"ports": [22, 443], "note": "Quét cổng — lần 2"},
        occurred_at=when,
    )


def test_a_single_repeat_counts_keeps_the_event_and_never_moves_last_seen_back(unit_a):
    source = AlertSource.objects.create(unit=unit_a, kind="generic", name="fw")
    t0 = timezone.now().replace(microsecond=0)
    first = intake.ingest(source, [_event(t0)])
    later = intake.ingest(source, [_event(t0 + dt.timedelta(minutes=5))])
    older = intake.ingest(source, [_event(t0 - dt.timedelta(minutes=5), {"late": True})])
    assert later.as_dict()["repeated"] == older.as_dict()["repeated"] == 1
    assert first.alert_ids == later.alert_ids == older.alert_ids
    alert = Alert.objects.get()
    assert (alert.count, alert.last_seen, alert.first_seen) == (
        3,
        t0 + dt.timedelta(minutes=5),
        t0,
    )
    stored = list(AlertEvent.objects.order_by("pk"))
    assert [e.occurred_at for e in stored] == [
        t0,
        t0 + dt.timedelta(minutes=5),
        t0 - dt.timedelta(minutes=5),
    ]
    assert stored[1].details == {"ports": [22, 443], "note": "Quét cổng — lần 2"}
    assert stored[2].details == {"late": True}


def test_after_a_resolve_the_single_path_opens_a_new_alert(unit_a):
    source = AlertSource.objects.create(unit=unit_a, kind="generic", name="fw")
    now = timezone.now()
    intake.ingest(source, [_event(now)])
    intake.ingest(source, [_event(now, action="resolve")])
    result = intake.ingest(source, [_event(now)])
    assert result.created == 1
    assert list(Alert.objects.order_by("pk").values_list("status", "count")) == [
        ("resolved", 1),
        ("triggered", 1),
    ]
