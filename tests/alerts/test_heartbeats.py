"""Heartbeats: silent sources, late feeds and quiet log folders raise one alert, then resolve."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from citysoc.alerts import heartbeats, intake
from citysoc.alerts.models import Alert, AlertSource
from citysoc.alerts.sources.base import Event
from citysoc.intel.models import IndicatorSource, LogFolder, LogUpload

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 29, 1, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def _heartbeat_alerts(key: str):
    return list(Alert.objects.filter(dedup_key=key).order_by("pk"))


def _event() -> Event:
    return Event(
        action="trigger",
        dedup_key="[UFW BLOCK]|203.0.113.7|tcp/22",
        severity="low",
        source="iptables",
        summary="[UFW BLOCK]: 203.0.113.7 → 192.0.2.20 tcp/22",
        details={},
        occurred_at=None,
    )


@pytest.fixture
def firewall(clock, unit_a):
    return AlertSource.objects.create(
        unit=unit_a,
        kind="syslog",
        name="Tường lửa phường A",
        sender_ips="192.0.2.1",
        expected_every=dt.timedelta(hours=1),
    )


def test_a_silent_syslog_source_raises_one_high_alert_for_its_unit(clock, firewall, unit_a):
    intake.ingest(firewall, [_event()])
    clock.shift(dt.timedelta(minutes=59))
    assert heartbeats.check()["raised"] == []
    clock.shift(dt.timedelta(minutes=2))
    assert heartbeats.check()["raised"] == [f"heartbeat:source:{firewall.pk}"]
    clock.shift(dt.timedelta(minutes=5))
    assert heartbeats.check()["raised"] == []  # raised once, not every check
    [alert] = _heartbeat_alerts(f"heartbeat:source:{firewall.pk}")
    assert (alert.unit, alert.severity, alert.status) == (unit_a, "high", "triggered")
    assert alert.source.kind == "system"
    assert "Tường lửa phường A" in alert.summary
    assert alert.details["sender_addresses"] == ["192.0.2.1"]
    firewall.refresh_from_db()
    assert firewall.silent_alerted_at == T0 + dt.timedelta(minutes=61)


def test_events_coming_back_resolve_the_heartbeat_alert(clock, firewall):
    clock.shift(dt.timedelta(hours=2))  # never sent anything: counted from its creation
    assert heartbeats.check()["raised"] == [f"heartbeat:source:{firewall.pk}"]
    intake.ingest(firewall, [_event()])
    firewall.refresh_from_db()
    assert firewall.silent_alerted_at is None  # the intake cleared it
    clock.shift(dt.timedelta(minutes=5))
    assert heartbeats.check()["resolved"] == [f"heartbeat:source:{firewall.pk}"]
    [alert] = _heartbeat_alerts(f"heartbeat:source:{firewall.pk}")
    assert alert.status == "resolved"
    # Silent again later: a new alert for the new silence.
    clock.shift(dt.timedelta(hours=2))
    assert heartbeats.check()["raised"] == [f"heartbeat:source:{firewall.pk}"]
    assert [a.status for a in _heartbeat_alerts(f"heartbeat:source:{firewall.pk}")] == [
        "resolved",
        "triggered",
    ]


def test_an_alert_resolved_by_hand_is_not_raised_again_for_the_same_silence(clock, firewall):
    clock.shift(dt.timedelta(hours=2))
    heartbeats.check()
    [alert] = _heartbeat_alerts(f"heartbeat:source:{firewall.pk}")
    intake.resolve(alert, by="duty officer")
    clock.shift(dt.timedelta(minutes=5))
    assert heartbeats.check()["raised"] == []


def test_disabling_a_silent_source_resolves_its_alert(clock, firewall):
    clock.shift(dt.timedelta(hours=2))
    heartbeats.check()
    AlertSource.objects.filter(pk=firewall.pk).update(enabled=False)
    assert heartbeats.check()["resolved"] == [f"heartbeat:source:{firewall.pk}"]


def test_sources_without_an_expected_interval_are_not_watched(clock, unit_a):
    AlertSource.objects.create(unit=unit_a, kind="syslog", name="quiet", sender_ips="192.0.2.9")
    clock.shift(dt.timedelta(days=30))
    assert heartbeats.check() == {"raised": [], "resolved": [], "silent": 0}


def test_a_late_feed_raises_a_city_alert_and_resolves_with_a_new_version(clock, city, unit_a):
    feed = IndicatorSource.objects.create(
        name="Feodo", url="https://feodotracker.example/ipblocklist.txt", expected_every_days=1
    )
    IndicatorSource.objects.create(name="Danh sách tháng", expected_every_days=1)  # no URL
    clock.shift(dt.timedelta(days=2, minutes=1))
    assert heartbeats.check()["raised"] == [f"heartbeat:feed:{feed.pk}"]
    [alert] = _heartbeat_alerts(f"heartbeat:feed:{feed.pk}")
    assert alert.unit == city
    assert "Feodo" in alert.summary
    IndicatorSource.objects.filter(pk=feed.pk).update(last_new_at=dt.datetime.now(dt.UTC))
    assert heartbeats.check()["resolved"] == [f"heartbeat:feed:{feed.pk}"]


def test_a_log_folder_that_cannot_be_read_or_went_quiet_alerts_its_unit(clock, unit_b):
    folder = LogFolder.objects.create(unit=unit_b, path="/srv/logs/ward-b/")
    LogUpload.objects.create(unit=unit_b, filename="fw.log", origin="/srv/logs/ward-b", file="x")
    key = f"heartbeat:logfolder:{folder.pk}"
    clock.shift(dt.timedelta(hours=47))
    assert heartbeats.check()["raised"] == []
    clock.shift(dt.timedelta(hours=2))
    assert heartbeats.check()["raised"] == [key]
    [alert] = _heartbeat_alerts(key)
    assert alert.unit == unit_b
    assert "/srv/logs/ward-b/" in alert.summary
    LogUpload.objects.create(unit=unit_b, filename="fw2.log", origin="/srv/logs/ward-b", file="y")
    assert heartbeats.check()["resolved"] == [key]
    clock.shift(dt.timedelta(minutes=15))  # the next scan finds the folder gone
    LogFolder.objects.filter(pk=folder.pk).update(
        last_error="/srv/logs/ward-b is not a folder the hub can read",
        last_scan_at=dt.datetime.now(dt.UTC),
    )
    assert heartbeats.check()["raised"] == [key]


def test_the_task_runs_the_check(clock, firewall):
    from citysoc.alerts import tasks

    clock.shift(dt.timedelta(hours=2))
    assert tasks.check_heartbeats.call()["raised"] == [f"heartbeat:source:{firewall.pk}"]
