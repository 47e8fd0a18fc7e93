"""The runner against real sites on 127.0.0.1: claiming, alerts on changes only, baselines.

The sites are the checks' own test web (tests/webwatch/support/sites.py): every host name
resolves to one local server, so the monitors use ordinary-looking URLs.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from citysoc.alerts.models import Alert
from citysoc.webwatch import baseline, runner
from citysoc.webwatch.models import CheckRun, Finding, Monitor
from tests.webwatch.support import sites

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(web):
    """run(minutes_from_now): the scheduler's minute tick at that time, on the local web."""
    start: list[dt.datetime] = []

    def tick(minutes: int = 0) -> dict:
        start[:] = start or [timezone.now()]  # the first tick is "now", after the set-up
        return runner.run_due(start[0] + dt.timedelta(minutes=minutes), config=web.config)

    return tick


@pytest.fixture
def flaky(web):
    yield web.flaky
    web.flaky.down_for = 0


def watch(unit, url: str, **extra) -> Monitor:
    return Monitor.objects.create(unit=unit, name=extra.pop("name", url), url=url, **extra)


def test_a_site_going_down_alerts_once_and_coming_back_resolves(unit_a, web, run, flaky):
    monitor = watch(unit_a, web.url("flaky.phuong-e.example"))
    assert run(0)["checked"] == 1
    flaky.down_for = 100
    run(6)
    run(12)
    alert = Alert.objects.get()
    assert alert.dedup_key == f"webwatch:{monitor.pk}:availability"
    assert (alert.status, alert.count) == (Alert.Status.TRIGGERED, 1)
    flaky.down_for = 0
    run(18)
    alert.refresh_from_db()
    assert alert.status == Alert.Status.RESOLVED
    assert list(CheckRun.objects.order_by("at").values_list("up", flat=True)) == [
        True,
        False,
        False,
        True,
    ]


def test_a_clean_site_raises_nothing(unit_a, web, run):
    monitor = watch(unit_a, web.url(sites.CLEAN_HOST), must_contain="Phường")
    run(0)
    run(6)
    monitor.refresh_from_db()
    assert monitor.state == "up"
    assert monitor.baseline  # the first good look became the baseline
    assert not Finding.objects.filter(status="open").exists(), list(Finding.objects.values())
    assert not Alert.objects.exists()


def test_a_monitor_is_checked_once_per_interval(unit_a, web, run):
    watch(unit_a, web.url(sites.CLEAN_HOST), interval_minutes=10)
    assert run(0)["checked"] == 1
    assert run(1)["checked"] == 0  # claimed: not due again before ten minutes
    assert run(11)["checked"] == 1


def test_two_schedulers_claim_a_monitor_once(unit_a):
    watch(unit_a, "https://a.example.gov.vn/")
    now = timezone.now()
    assert len(runner.claim_due(now)) == 1
    assert runner.claim_due(now) == []


def test_disabled_monitors_are_not_checked(unit_a, run, web):
    watch(unit_a, web.url(sites.CLEAN_HOST), enabled=False)
    assert run(0)["checked"] == 0


def test_a_defaced_page_alerts_and_accepting_the_baseline_clears_it(unit_a, web, run, check):
    clean = check(web.url(sites.CLEAN_HOST))
    monitor = watch(unit_a, web.url("defaced.phuong-b.example"), baseline=clean.fingerprint)
    run(0)
    # The page against its baseline; a "hacked by" signature is a finding of its own.
    defacement = Finding.objects.filter(monitor=monitor, check_name="defacement", key="changed")
    assert defacement.exists()
    assert set(defacement.values_list("status", flat=True)) == {"open"}
    alerts = Alert.objects.filter(dedup_key__in=[f.dedup_key for f in defacement])
    assert alerts.count() == defacement.count()
    assert [a.dedup_key for a in alerts] == [f"webwatch:{monitor.pk}:defacement:changed"]

    monitor.refresh_from_db()
    assert baseline.accept_current(monitor, by=None) == defacement.count()
    assert set(defacement.values_list("status", flat=True)) == {"resolved"}
    assert set(alerts.values_list("status", flat=True)) == {Alert.Status.RESOLVED}
    run(6)
    assert not defacement.filter(status="open").exists()
    still = Finding.objects.filter(check_name="defacement", status="open")
    assert list(still.values_list("key", flat=True)) == ["marker"]


def test_injected_gambling_links_open_a_finding_with_evidence(unit_a, web, run):
    monitor = watch(unit_a, web.url(sites.SPAM_HOST), crawl_depth=0)
    run(0)
    findings = Finding.objects.filter(monitor=monitor, status="open")
    assert findings.filter(check_name="injected_links").exists(), list(findings.values())
    assert all(f.evidence for f in findings)
    keys = set(Alert.objects.values_list("dedup_key", flat=True))
    assert {f.dedup_key for f in findings if f.severity != "info"} == keys
    run(6)
    assert Alert.objects.count() == len(keys)  # seen again: no new alert
