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
import ipaddress
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from citysoc.core.models import Unit
from citysoc.inventory.models import Host
from citysoc.vulns import priority, work
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
    """The unit's host with this address or host name; a scanner's FQDN (web.ward.example)
    also matches the inventory's short name (web)."""
    for value in (r.address, r.hostname, r.hostname.split(".", 1)[0]):
        if value and value.lower() in index:
            return index[value.lower()]
    return None


def import_report(
    report: ParsedReport,
    unit: Unit,
    *,
    file_name: str = "",
    sha256: str = "",
    full_scan: bool = True,
) -> ImportResult:
    """Save the report's findings into the unit; see the module docstring.

    `full_scan=False` (a partial scan) never closes findings it did not report."""
    started = time.monotonic()
    now = timezone.now()
    result = count_only(report)
    with transaction.atomic():
        scan = Scan.objects.create(
            unit=unit,
            tool=report.tool,
            file_name=file_name[:255],
            file_sha256=sha256[:64],
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
        keys = list(records)
        for start in range(0, len(keys), BATCH):
            chunk = keys[start : start + BATCH]
            existing = {
                f.dedupe_key: f for f in Finding.objects.filter(unit=unit, dedupe_key__in=chunk)
            }
            to_create: list[Finding] = []
            changed: list[Finding] = []
            seen: list[int] = []
            back: list[int] = []
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
                seen.append(found.pk)
                if found.status in REOPEN_FROM:
                    back.append(found.pk)
                    result.reopened += 1
                else:
                    result.still_open += 1
                if _refresh(found, r, host):
                    changed.append(found)
            priority.prepare(to_create)  # KEV, EPSS, due date set before the insert
            Finding.objects.bulk_create(to_create, batch_size=BATCH)
            # One UPDATE for every finding seen again, one for those back; the changed
            # texts and scores (rare between two runs of a scanner) in bulk.
            Finding.objects.filter(pk__in=seen).update(last_seen=now, last_scan=scan)
            if back:
                Finding.objects.filter(pk__in=back).update(status=Finding.Status.REOPENED)
            if changed:
                Finding.objects.bulk_update(changed, REFRESHED, batch_size=BATCH)
        if full_scan:
            result.mitigated = _mitigate_missing(unit, report, scan, now)
        result.unknown_hosts = sorted(unknown)
        scan.new, scan.still_open = result.new, result.still_open
        scan.mitigated, scan.reopened = result.mitigated, result.reopened
        scan.finished_at = timezone.now()
        scan.save()
        priority.after_import(scan)  # KEV/EPSS, deadlines, the KEV alert
    result.scan_id = scan.pk
    result.seconds = time.monotonic() - started
    return result


# Refreshed from the latest report on re-import (scanners improve their texts and scores);
# the host and system are set when the finding had none and its host is now in the inventory.
REFRESHED: tuple[str, ...] = (
    "title",
    "severity",
    "cves",
    "cvss",
    "cvss_vector",
    "description",
    "solution",
)
REFRESHED += ("references", "version", "fixed_version", "kind", "host", "system")
# Closed by a scan (mitigated) or by a person as fixed: reported again means reopened.
REOPEN_FROM = frozenset({Finding.Status.MITIGATED, Finding.Status.FIXED})
# Still to be seen gone: open, reopened, or fixed by a person and waiting for the scan that
# verifies it. Accepted risks and false positives are left alone.
CLOSABLE = Finding.ACTIVE  # open, reopened, fixed


def _score(value: float | None) -> float | None:
    """As the database keeps it (one decimal), so an unchanged score compares equal."""
    return None if value is None else round(value, 1)


def _text(value: str, limit: int | None = None) -> str:
    """A report's text as the database can keep it: no NUL bytes (PostgreSQL refuses them,
    and some scanners copy raw responses), cut to the column's length."""
    value = value.replace("\x00", "")
    return value[:limit] if limit else value


def _details(r: FindingRecord) -> dict:
    """The finding's fields that the latest report sets (identity fields excluded)."""
    return {
        "title": _text(r.title, 500),
        "severity": r.severity,
        "cves": [_text(c, 40) for c in r.cves],
        "cvss": _score(r.cvss),
        "cvss_vector": _text(r.cvss_vector, 200),
        "description": _text(r.description),
        "solution": _text(r.solution),
        "references": [_text(ref, 2000) for ref in r.references],
        "version": _text(r.version, 120),
        "fixed_version": _text(r.fixed_version, 120),
        "kind": r.kind,
    }


def _refresh(found: Finding, r: FindingRecord, host) -> bool:
    """Copy the report's current texts onto the finding; True if anything changed."""
    fresh = _details(r)
    if found.host_id is None and host is not None:
        fresh["host"] = host
        fresh["system"] = next(iter(host.systems.all()), None)
    changed = False
    for name, value in fresh.items():
        current = getattr(found, name)
        if name == "cvss" and current is not None:
            current = float(current)
        if current != value:
            setattr(found, name, value)
            changed = True
    return changed


def _new_finding(unit, host, tool, r: FindingRecord, key, now, scan) -> Finding:
    # systems.all() reads the prefetched list: no query per finding
    system = next(iter(host.systems.all()), None) if host is not None else None
    return Finding(
        unit=unit,
        host=host,
        system=system,
        tool=tool,
        address=_text(r.address, 255),
        port=r.port,
        protocol=_text(r.protocol, 10),
        package=_text(r.package, 255),
        location=_text(r.location, 1000),
        first_seen=now,
        last_seen=now,
        dedupe_key=key,
        last_scan=scan,
        **_details(r),
    )


def _mitigate_missing(unit: Unit, report: ParsedReport, scan: Scan, now) -> int:
    """Close the still-open findings of this tool in the scan's scope that it did not report.

    The scope is the addresses it scanned (hosts) and, for findings without an address
    (images, lock files, repositories), the artifacts it scanned: a finding whose location
    starts with one of them."""
    scope = {a.lower() for a in report.hosts} | {r.address.lower() for r in report.findings}
    scope = {_text(a, 255) for a in scope} - {""}
    where = Q(address__in=scope) if scope else Q()
    artifacts = [_text(a, 1000) for a in report.scope if a]
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
        .filter(status__in=CLOSABLE)
        .exclude(last_scan=scan)
    )
    verified = list(stale.filter(status=Finding.Status.FIXED).values_list("pk", flat=True))
    closed = stale.update(status=Finding.Status.MITIGATED)
    work.note_verified(verified, scan)  # a fix the scan no longer sees is verified
    return closed


def unknown_hosts_of(scan: Scan) -> list[str]:
    """Addresses this scan reported that match no host of its unit (to offer creating them)."""
    rows = (
        Finding.objects.filter(unit=scan.unit_id, last_scan=scan, host=None)
        .exclude(address="")
        .values_list("address", flat=True)
        .distinct()
    )
    return sorted(set(rows))


def new_host_url(unit_id: int, address: str) -> str:
    """The inventory's "new host" form for this unit, pre-filled with an unknown address."""
    from django.urls import reverse

    try:
        field = "ipv4" if ipaddress.ip_address(address).version == 4 else "ipv6"
    except ValueError:
        field = "hostname"
    return f"{reverse('inventory:host-create')}?{urlencode({'unit': unit_id, field: address})}"
