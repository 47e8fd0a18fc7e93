"""Vulnerabilities in the tenancy sweep: one ward's scan and finding on its host."""

from __future__ import annotations

from django.utils import timezone

from citysoc.vulns.models import Finding, Scan

MODELS = {"scans": "scan", "findings": "finding"}


def build(unit, officer, letter: str, third_octets: str) -> dict[str, int]:
    now = timezone.now()
    scan = Scan.objects.create(unit=unit, tool="nmap", file_name=f"MARK-{letter}.xml")
    finding = Finding.objects.create(
        unit=unit,
        tool="nmap",
        title=f"MARK-{letter} CVE-2023-38408",
        severity="critical",
        cves=["CVE-2023-38408"],
        address=f"MARK-{letter}.example",
        first_seen=now,
        last_seen=now,
        dedupe_key=f"mark-{letter}",
        last_scan=scan,
    )
    return {"scan": scan.pk, "finding": finding.pk}
