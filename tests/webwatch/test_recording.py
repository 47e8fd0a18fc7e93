"""What one check result does: history, state, findings, and alerts on changes only."""

from __future__ import annotations

import pytest
from django.utils import timezone

from citysoc.alerts.models import Alert
from citysoc.webwatch import recording
from citysoc.webwatch.checks.base import Finding as CheckFinding
from citysoc.webwatch.checks.base import SiteResult
from citysoc.webwatch.models import CheckRun, Finding, Monitor

pytestmark = pytest.mark.django_db

URL = "https://bacson.example.gov.vn/"


def make_monitor(unit, **extra) -> Monitor:
    extra.setdefault("url", URL)
    return Monitor.objects.create(unit=unit, name=extra.pop("name", "Cổng phường"), **extra)


def up(**extra) -> SiteResult:
    return SiteResult(URL, True, 200, 120, fingerprint={"text_hash": "a"}, **extra)


def down() -> SiteResult:
    return SiteResult(URL, False, None, None, error="connection refused")


def gambling(key="nhacai.example.com") -> CheckFinding:
    return CheckFinding(
        check="injected_links",
        severity="critical",
        title="Hidden gambling link",
        evidence={"link": f"https://{key}/", "snippet": '<div style="display:none">'},
        key=key,
    )


def alerts(monitor, check="availability"):
    return Alert.objects.filter(dedup_key=monitor.dedup_key(check))


def test_it_stores_one_small_row_per_check(unit_a):
    monitor = make_monitor(unit_a)
    recording.record(monitor, up(), now=timezone.now())
    recording.record(monitor, down(), now=timezone.now())
    assert list(CheckRun.objects.values_list("up", "status", "response_ms")) == [
        (False, None, None),
        (True, 200, 120),
    ]


def test_a_clean_page_raises_nothing(unit_a):
    monitor = make_monitor(unit_a)
    recording.record(monitor, up(), now=timezone.now())
    recording.record(monitor, up(), now=timezone.now())
    assert not Alert.objects.exists()
    assert not Finding.objects.exists()


def test_a_site_going_down_raises_one_alert_and_coming_back_resolves_it(unit_a):
    monitor = make_monitor(unit_a)
    recording.record(monitor, up(), now=timezone.now())
    recording.record(monitor, down(), now=timezone.now())
    recording.record(monitor, down(), now=timezone.now())
    alert = alerts(monitor).get()
    assert alert.dedup_key == f"webwatch:{monitor.pk}:availability"
    assert alert.status == Alert.Status.TRIGGERED
    assert alert.count == 1  # the second down run is not a new event
    recording.record(monitor, up(), now=timezone.now())
    alert.refresh_from_db()
    assert alert.status == Alert.Status.RESOLVED
    monitor.refresh_from_db()
    assert monitor.state == "up"


def test_a_finding_alerts_once_while_seen_and_resolves_when_gone(unit_a):
    monitor = make_monitor(unit_a)
    for _ in range(3):
        recording.record(monitor, up(findings=[gambling()]), now=timezone.now())
    finding = Finding.objects.get()
    assert (finding.status, finding.times_seen) == ("open", 3)
    alert = Alert.objects.get()
    assert alert.dedup_key == f"webwatch:{monitor.pk}:injected_links:nhacai.example.com"
    assert alert.count == 1
    recording.record(monitor, up(), now=timezone.now())
    finding.refresh_from_db()
    alert.refresh_from_db()
    assert finding.status == "resolved"
    assert alert.status == Alert.Status.RESOLVED


def test_a_down_site_keeps_its_findings_open(unit_a):
    monitor = make_monitor(unit_a)
    recording.record(monitor, up(findings=[gambling()]), now=timezone.now())
    recording.record(monitor, down(), now=timezone.now())
    assert Finding.objects.get().status == "open"


def test_a_finding_that_comes_back_reopens_and_alerts_again(unit_a):
    monitor = make_monitor(unit_a)
    recording.record(monitor, up(findings=[gambling()]), now=timezone.now())
    recording.record(monitor, up(), now=timezone.now())
    recording.record(monitor, up(findings=[gambling()]), now=timezone.now())
    assert Finding.objects.get().status == "open"
    assert list(Alert.objects.order_by("pk").values_list("status", flat=True)) == [
        "resolved",
        "triggered",
    ]


def test_the_first_fingerprint_becomes_the_baseline(unit_a):
    monitor = make_monitor(unit_a)
    recording.record(monitor, down(), now=timezone.now())
    monitor.refresh_from_db()
    assert monitor.baseline is None
    recording.record(monitor, up(), now=timezone.now())
    recording.record(
        monitor, SiteResult(URL, True, 200, 90, fingerprint={"text_hash": "b"}), now=timezone.now()
    )
    monitor.refresh_from_db()
    assert monitor.baseline == {"text_hash": "a"}
    assert monitor.last_fingerprint == {"text_hash": "b"}


def test_cloaking_findings_are_dropped_when_the_monitor_has_the_check_off(unit_a):
    monitor = make_monitor(unit_a, cloaking_check=False)
    cloaked = CheckFinding("cloaking", "high", "Search engines get another page", {}, "")
    recording.record(monitor, up(findings=[cloaked]), now=timezone.now())
    assert not Finding.objects.exists()


def test_site_down_is_the_availability_alert_not_a_second_finding(unit_a):
    monitor = make_monitor(unit_a)
    result = down()
    result.findings = [CheckFinding("availability", "high", "Site down", {"attempts": 2}, "down")]
    recording.record(monitor, result, now=timezone.now())
    assert not Finding.objects.exists()
    assert list(Alert.objects.values_list("dedup_key", "details__evidence")) == [
        (f"webwatch:{monitor.pk}:availability", {"attempts": 2})
    ]


def test_a_check_that_failed_or_was_skipped_does_not_clear_its_findings(unit_a):
    monitor = make_monitor(unit_a)
    recording.record(monitor, up(findings=[gambling()]), now=timezone.now())
    recording.record(
        monitor,
        up(skipped={"injected_links": "the check failed: TimeoutError"}),
        now=timezone.now(),
    )
    assert Finding.objects.get().status == "open"
