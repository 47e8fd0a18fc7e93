"""Import one parsed report into a unit: dedupe, re-import, mitigate and reopen.

A finding's identity is its dedupe key: tool, address, port/protocol, rule, package and
location (not its title or severity, which scanners reword between versions). The same
key in the next scan of the unit is the same row, its `last_seen` moved on. A full
re-scan closes (mitigated) the unit's open findings of that tool on the hosts it scanned
that it no longer reports; a mitigated finding that comes back is reopened.
Everything happens in one transaction: an error saves nothing.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from citysoc.core.models import Unit
from citysoc.inventory.models import Host
from citysoc.vulns.models import Finding, Scan
from citysoc.vulns.parsers.base import FindingRecord, ParsedReport

BATCH = 1000  # rows per query, so the query count grows with batches, not findings


@dataclass
class ImportResult:
    tool: str
    findings: int = 0
    new: int = 0
    still_open: int = 0
    mitigated: int = 0
    reopened: int = 0
    hosts: int = 0
    unknown_hosts: list[str] = field(default_factory=list)
    rejected: int = 0
    seconds: float = 0.0
    scan_id: int | None = None

    def as_json(self) -> dict:
        """The exact keys `import-scan --json` prints."""
        return {
            "tool": self.tool,
            "findings": self.findings,
            "new": self.new,
            "still_open": self.still_open,
            "mitigated": self.mitigated,
            "reopened": self.reopened,
            "hosts": self.hosts,
            "unknown_hosts": self.unknown_hosts,
            "rejected": self.rejected,
            "seconds": round(self.seconds, 3),
        }


def dedupe_key(tool: str, r: FindingRecord) -> str:
    parts = [tool, r.address.lower(), str(r.port or ""), r.protocol, r.rule, r.package, r.location]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def count_only(report: ParsedReport) -> ImportResult:
    """--dry-run: what the report holds, nothing saved or compared."""
    return ImportResult(
        tool=report.tool,
        findings=len(report.findings),
        hosts=len(set(report.hosts) | {r.address for r in report.findings if r.address}),
        rejected=len(report.rejected),
    )


def _host_index(unit: Unit) -> dict[str, Host]:
    index: dict[str, Host] = {}
    for host in Host.objects.filter(unit=unit).prefetch_related("systems"):
        for value in (host.ipv4, host.ipv6, host.hostname):
            if value:
                index[str(value).lower()] = host
    return index


def _match(index: dict[str, Host], r: FindingRecord) -> Host | None:
    for value in (r.address, r.hostname):
        if value and value.lower() in index:
            return index[value.lower()]
    return None


def import_report(
    report: ParsedReport, unit: Unit, *, file_name: str = "", full_scan: bool = True
) -> ImportResult:
    started = time.monotonic()
    now = timezone.now()
    result = count_only(report)
    with transaction.atomic():
        scan = Scan.objects.create(
            unit=unit,
            tool=report.tool,
            file_name=file_name[:255],
            findings=result.findings,
            rejected=result.rejected,
            status=Scan.Status.PARTIAL if report.rejected else Scan.Status.DONE,
            reason="; ".join(f"{r.where}: {r.reason}" for r in report.rejected[:50]),
        )
        index = _host_index(unit)
        records: dict[str, FindingRecord] = {}
        for r in report.findings:
            records.setdefault(dedupe_key(report.tool, r), r)  # a duplicate line is one finding
        unknown: set[str] = set()
        seen_ids: list[int] = []
        keys = list(records)
        for start in range(0, len(keys), BATCH):
            chunk = keys[start : start + BATCH]
            existing = {
                f.dedupe_key: f for f in Finding.objects.filter(unit=unit, dedupe_key__in=chunk)
            }
            to_create, to_update = [], []
            for key in chunk:
                r = records[key]
                host = _match(index, r)
                if host is None and r.address:
                    unknown.add(r.address)
                found = existing.get(key)
                if found is None:
                    to_create.append(_new_finding(unit, host, report.tool, r, key, now, scan))
                    result.new += 1
                    continue
                if found.status == Finding.Status.MITIGATED:
                    found.status = Finding.Status.REOPENED
                    result.reopened += 1
                else:
                    result.still_open += 1
                found.last_seen, found.last_scan = now, scan
                found.severity, found.title = r.severity, r.title[:500]
                _refresh_details(found, r)
                to_update.append(found)
                seen_ids.append(found.pk)
            Finding.objects.bulk_create(to_create, batch_size=BATCH)
            Finding.objects.bulk_update(
                to_update,
                ["status", "last_seen", "last_scan", "severity", "title", *DETAILS],
                batch_size=BATCH,
            )
        if full_scan:
            result.mitigated = _mitigate_missing(unit, report, scan, now)
        result.unknown_hosts = sorted(unknown)
        scan.new, scan.still_open = result.new, result.still_open
        scan.mitigated, scan.reopened = result.mitigated, result.reopened
        scan.finished_at = timezone.now()
        scan.save()
    result.scan_id = scan.pk
    result.seconds = time.monotonic() - started
    return result


# Refreshed from the latest report on re-import (scanners improve their texts and scores).
DETAILS = ("cves", "cvss", "cvss_vector", "description", "solution", "references", "version")
DETAILS += ("fixed_version",)


def _refresh_details(found: Finding, r: FindingRecord) -> None:
    found.cves, found.cvss, found.cvss_vector = list(r.cves), r.cvss, r.cvss_vector[:200]
    found.description, found.solution = r.description, r.solution
    found.references, found.version = list(r.references), r.version[:120]
    found.fixed_version = r.fixed_version[:120]


def _new_finding(unit, host, tool, r: FindingRecord, key, now, scan) -> Finding:
    # systems.all() reads the prefetched list: no query per finding
    system = next(iter(host.systems.all()), None) if host is not None else None
    return Finding(
        unit=unit,
        host=host,
        system=system,
        tool=tool,
        title=r.title[:500],
        severity=r.severity,
        cves=list(r.cves),
        cvss=r.cvss,
        address=r.address[:255],
        port=r.port,
        protocol=r.protocol[:10],
        package=r.package[:255],
        version=r.version[:120],
        location=r.location[:1000],
        kind=r.kind,
        cvss_vector=r.cvss_vector[:200],
        description=r.description,
        solution=r.solution,
        references=list(r.references),
        fixed_version=r.fixed_version[:120],
        first_seen=now,
        last_seen=now,
        dedupe_key=key,
        last_scan=scan,
    )


def _mitigate_missing(unit: Unit, report: ParsedReport, scan: Scan, now) -> int:
    """Close the still-open findings of this tool in the scan's scope that it did not report.

    The scope is the addresses it scanned (hosts) and, for findings without an address
    (images, lock files, repositories), the artifacts it scanned: a finding whose location
    starts with one of them."""
    scope = {a.lower() for a in report.hosts} | {r.address.lower() for r in report.findings}
    scope.discard("")
    where = Q(address__in=scope) if scope else Q()
    artifacts = [a for a in report.scope if a]
    if artifacts:
        by_artifact = Q()
        for artifact in artifacts:
            by_artifact |= Q(location=artifact) | Q(location__startswith=f"{artifact} ")
            by_artifact |= Q(location__startswith=f"{artifact}:")
        where = (where | (Q(address="") & by_artifact)) if scope else (Q(address="") & by_artifact)
    if not scope and not artifacts:
        return 0
    stale = (
        Finding.objects.filter(unit=unit, tool=report.tool)
        .filter(where)
        .filter(Q(status=Finding.Status.OPEN) | Q(status=Finding.Status.REOPENED))
        .exclude(last_scan=scan)
    )
    return stale.update(status=Finding.Status.MITIGATED)
