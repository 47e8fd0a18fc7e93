"""Helpers shared by the vulns tests: the project's fixtures and the shared samples."""

from __future__ import annotations

from pathlib import Path

from tests import samples

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "vulns"


def shared_sample(name: str) -> Path:
    """A scanner report from the samples folder (not copied: its licence or size forbids);
    the calling test is marked `samples` (tests/samples.py)."""
    return samples.sample(name if name.startswith("scanners/") else f"scanners/{name}")


FEEDS = REPO / "tests" / "fixtures" / "vulns_feeds"


def make_finding(unit, *, system=None, days_ago: int = 0, **extra):
    """A finding as an import would leave it (then enriched: KEV, EPSS, due date)."""
    import datetime as dt

    from django.utils import timezone

    from citysoc.vulns import priority
    from citysoc.vulns.models import Finding, Scan

    scan = extra.pop("last_scan", None) or Scan.objects.create(unit=unit, tool="nessus")
    seen = timezone.now() - dt.timedelta(days=days_ago)
    n = Finding.objects.filter(unit=unit).count() + 1
    fields = {
        "tool": "nessus",
        "title": f"Finding {n}",
        "severity": "high",
        "address": f"192.0.2.{n}",
        "first_seen": seen,
        "last_seen": seen,
        "dedupe_key": f"key-{unit.code}-{n}",
        "last_scan": scan,
        **extra,
    }
    finding = Finding.objects.create(unit=unit, system=system, **fields)
    priority.enrich([finding])
    finding.refresh_from_db()
    return finding
