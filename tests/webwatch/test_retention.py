"""Old runs become hourly sums; uptime over the same window stays the same."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from citysoc.webwatch import retention, uptime
from citysoc.webwatch.models import CheckRun, HourlyStat, Monitor

pytestmark = pytest.mark.django_db


def runs(monitor, start, count, *, step=dt.timedelta(minutes=5), down_every=0):
    CheckRun.objects.bulk_create(
        CheckRun(
            monitor=monitor,
            at=start + i * step,
            up=not (down_every and i % down_every == 0),
            status=200,
            response_ms=100 + i % 3,
        )
        for i in range(count)
    )


@pytest.fixture
def monitor(unit_a):
    return Monitor.objects.create(unit=unit_a, name="Cổng", url="https://a.example.gov.vn/")


def test_percent():
    assert uptime.percent(0, 0) is None
    assert uptime.percent(3, 4) == 75.0
    assert uptime.percent(287, 288) == 99.65


def test_uptime_counts_each_window(monitor):
    now = timezone.now()
    runs(monitor, now - dt.timedelta(hours=2), 24)  # the last 2 hours: all up
    runs(monitor, now - dt.timedelta(days=5), 10, down_every=1)  # 5 days ago: all down
    figures = uptime.uptime_by_monitor([monitor.pk], now=now)[monitor.pk]
    assert figures == {"h24": 100.0, "d7": round(100 * 24 / 34, 2), "d30": round(100 * 24 / 34, 2)}


def test_a_monitor_never_checked_has_no_uptime(monitor):
    assert uptime.uptime_by_monitor([monitor.pk])[monitor.pk] == {
        "h24": None,
        "d7": None,
        "d30": None,
    }


def test_prune_rolls_old_runs_into_hours_and_keeps_recent_ones(monitor, settings):
    settings.WEBWATCH_RETENTION_DAYS = 30
    now = timezone.now().replace(minute=30)
    old_hour = (now - dt.timedelta(days=40)).replace(minute=0, second=0, microsecond=0)
    runs(monitor, old_hour, 12, down_every=4)  # one hour, 3 of 12 down
    runs(monitor, now - dt.timedelta(hours=1), 12)
    before = uptime.uptime_by_monitor([monitor.pk], now=now - dt.timedelta(days=15))[monitor.pk]

    result = retention.prune(now)

    assert result["runs_deleted"] == 12
    assert CheckRun.objects.count() == 12
    stat = HourlyStat.objects.get()
    assert (stat.hour, stat.checks, stat.up_checks, stat.timed_checks) == (old_hour, 12, 9, 12)
    assert stat.avg_ms == sum(100 + i % 3 for i in range(12)) // 12
    after = uptime.uptime_by_monitor([monitor.pk], now=now - dt.timedelta(days=15))[monitor.pk]
    assert after == before == {"h24": None, "d7": None, "d30": 75.0}


def test_prune_twice_counts_nothing_twice(monitor):
    now = timezone.now()
    runs(monitor, (now - dt.timedelta(days=45)).replace(minute=0), 6)
    retention.prune(now)
    retention.prune(now)
    assert HourlyStat.objects.get().checks == 6


def test_prune_drops_hourly_rows_past_their_own_retention(monitor, settings):
    settings.WEBWATCH_AGGREGATE_RETENTION_DAYS = 400
    now = timezone.now()
    HourlyStat.objects.create(monitor=monitor, hour=now - dt.timedelta(days=401), checks=12)
    HourlyStat.objects.create(monitor=monitor, hour=now - dt.timedelta(days=100), checks=12)
    retention.prune(now)
    assert HourlyStat.objects.count() == 1
