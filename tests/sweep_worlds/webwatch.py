"""Website watch in the tenancy sweep: one ward's monitor with history and a finding."""

from __future__ import annotations

from django.utils import timezone

from citysoc.webwatch.models import CheckRun, Finding, Monitor

MODELS = {
    "monitors": "monitor",
    # Not "findings": that segment is likely to be another area's (vulnerability findings).
    "monitor-findings": "webwatchfinding",
}
NOT_UNIT_OBJECTS = {
    "webwatch:status-page": (
        "a unit's public status page, open without login; it shows only monitors marked "
        "public (tests/webwatch/test_views.py checks that a non-public one never appears)"
    ),
}


def build(unit, officer, letter: str, third_octets: str) -> dict[str, int]:
    now = timezone.now()
    monitor = Monitor.objects.create(
        unit=unit,
        name=f"MARK-{letter} Cổng thông tin",
        url=f"https://mark-{letter.lower()}.example.gov.vn/",
        is_up=False,
        last_error=f"MARK-{letter} connection refused",
        last_fingerprint={"title": f"MARK-{letter}"},
    )
    CheckRun.objects.create(monitor=monitor, at=now, up=False)
    finding = Finding.objects.create(
        unit=unit,
        monitor=monitor,
        check_name="injected_links",
        key=f"mark-{letter.lower()}.bet.example.com",
        severity="critical",
        title=f"MARK-{letter} hidden gambling link",
        evidence={"link": f"https://mark-{letter.lower()}.bet.example.com/"},
        first_seen=now,
        last_seen=now,
    )
    return {"monitor": monitor.pk, "webwatchfinding": finding.pk}
