"""Vulnerabilities in the tenancy sweep: one ward's scan, finding (known exploited, with a
note and an evidence file) on its host."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from citysoc.vulns.models import Finding, FindingEvidence, FindingNote, Scan

MODELS = {"scans": "scan", "findings": "finding", "finding-evidence": "findingevidence"}
POST_ONLY = {"finding-work"}
QUERY_VARIANTS = {
    "vulns:home": ["", "?unit=ward-b", "?status=all", "?kev=1&overdue=1"],
    "finding-list": [
        "",
        "?unit=ward-b",
        "?within=ward-b",
        "?kev=true",
        "?overdue=true",
        "?system=1",
        "?q=mark",
    ],
}


def build(unit, officer, letter: str, third_octets: str) -> dict[str, int]:
    now = timezone.now()
    scan = Scan.objects.create(unit=unit, tool="nmap", file_name=f"MARK-{letter}.xml")
    system = unit.systems.first()
    finding = Finding.objects.create(
        unit=unit,
        system=system,
        tool="nmap",
        title=f"MARK-{letter} CVE-2023-38408",
        severity="critical",
        cves=["CVE-2023-38408"],
        address=f"MARK-{letter}.example",
        first_seen=now,
        last_seen=now,
        dedupe_key=f"mark-{letter}",
        last_scan=scan,
        kev=True,
        due_date=now.date(),
    )
    FindingNote.objects.create(unit=unit, finding=finding, kind="comment", text=f"MARK-{letter}")
    evidence = FindingEvidence.objects.create(
        unit=unit,
        finding=finding,
        file=ContentFile(b"patched", f"mark-{letter.lower()}-patch.txt"),
        filename=f"mark-{letter.lower()}-patch.txt",
    )
    return {"scan": scan.pk, "finding": finding.pk, "findingevidence": evidence.pk}
