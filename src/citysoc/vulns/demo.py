"""The demo city's vulnerabilities: a Nessus-like scan for a few units, with findings open,
fixed awaiting verification, verified, accepted and overdue known exploited (KEV).

Nothing is scanned or fetched: the scans and findings are written on the units' own demo
hosts, and a small part of the CISA KEV catalogue and of the EPSS scores (the CVEs used
here) is loaded when the city has none yet. Idempotent: a scan is found by its file name,
a finding by its dedupe key. No alert is raised for the demo's KEV findings (the alerts
demo tells its own story).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from citysoc.core import audit, demo
from citysoc.inventory.models import Host
from citysoc.vulns import priority, work
from citysoc.vulns.models import EpssScore, Finding, KnownExploited, Scan

# The city first: its level-3 and level-4 systems give the 7-day KEV deadline.
UNITS = ("tamdiep", "p-bacson", "p-namson", "vp-ubnd", "ttyt", "x-quangson")
LEVEL_DESC = F("systems__security_level").desc(nulls_last=True)
# (cve, vendor, product, name, added, CISA due, ransomware, epss, percentile)
KEV = [
    ("CVE-2024-3400", "Palo Alto Networks", "PAN-OS", "PAN-OS Command Injection",
     "2024-04-12", "2024-04-19", False, 0.94302, 0.9995),
    ("CVE-2023-4966", "Citrix", "NetScaler ADC", "NetScaler Buffer Overflow (Citrix Bleed)",
     "2023-10-18", "2023-11-08", True, 0.94300, 0.9994),
    ("CVE-2021-44228", "Apache", "Log4j2", "Apache Log4j2 Remote Code Execution",
     "2021-12-10", "2021-12-24", True, 0.94358, 0.9999),
]  # fmt: skip
# (title, severity, cves, port, package, days ago first seen, what happens to it)
FINDINGS = [
    ("Apache Log4j2 remote code execution (Log4Shell)", "critical", ["CVE-2021-44228"], 8080,
     "log4j-core 2.14.1", 40, "open"),
    ("Citrix NetScaler sensitive information disclosure", "critical", ["CVE-2023-4966"], 443,
     "", 20, "open"),
    ("OpenSSH before 9.3p2 remote code execution via ssh-agent", "high", ["CVE-2023-38408"],
     22, "OpenSSH 8.9", 25, "fixed"),
    ("TLS 1.0 and 1.1 protocols enabled", "medium", [], 443, "", 60, "accepted"),
    ("PHP 7.4 end of life", "high", [], 80, "PHP 7.4.3", 90, "open"),
    ("Apache HTTP Server mod_proxy SSRF", "critical", ["CVE-2021-40438"], 80, "httpd 2.4.48",
     70, "mitigated"),
    ("Palo Alto PAN-OS GlobalProtect command injection", "critical", ["CVE-2024-3400"], 443,
     "", 3, "open"),
]  # fmt: skip


def load() -> int:
    """Write the demo scans; return the number of demo findings."""
    with audit.acting_as(None, via="cli", label="demo"), transaction.atomic():
        _load_feeds()
        made = 0
        for n, code in enumerate(UNITS):
            host = (
                Host.objects.filter(unit__code=code, systems__isnull=False)
                .exclude(ipv4=None)
                .order_by(LEVEL_DESC, "pk")
                .first()
            )
            if host is not None:
                made += _load_unit(host, n)
    return made


def _load_feeds() -> None:
    if KnownExploited.objects.exists():
        return
    for cve, vendor, product, name, added, due, ransom, score, pct in KEV:
        KnownExploited.objects.create(
            cve=cve,
            vendor=vendor,
            product=product,
            name=name,
            date_added=dt.date.fromisoformat(added),
            due_date=dt.date.fromisoformat(due),
            ransomware=ransom,
        )
        EpssScore.objects.get_or_create(cve=cve, defaults={"score": score, "percentile": pct})


def _load_unit(host: Host, n: int) -> int:
    code = host.unit.code
    scan, created = Scan.objects.get_or_create(
        unit=host.unit, file_name=f"demo-{code}.nessus", defaults={"tool": "nessus"}
    )
    if not created:
        return 0
    now = timezone.now()
    rows = FINDINGS[n % 2 :]  # every unit a little different
    findings = []
    for i, (title, severity, cves, port, package, days, _end) in enumerate(rows):
        seen = now - dt.timedelta(days=days)
        findings.append(
            Finding.objects.create(
                unit=host.unit,
                host=host,
                system=host.systems.order_by(
                    F("security_level").desc(nulls_last=True), "pk"
                ).first(),
                tool="nessus",
                title=title,
                severity=severity,
                cves=cves,
                address=str(host.ipv4),
                port=port,
                protocol="tcp",
                package=package,
                first_seen=seen,
                last_seen=now,
                dedupe_key=f"demo:{code}:{i}",
                last_scan=scan,
            )
        )
    priority.enrich(findings)
    for f, row in zip(findings, rows, strict=True):
        _decide(f, row[-1])
    scan.findings = scan.new = len(findings)
    scan.finished_at = now
    scan.save()
    return len(findings)


def _decide(f: Finding, fate: str) -> None:
    if fate == "fixed":
        work.mark_fixed(
            f, by=None, note="Đã cập nhật OpenSSH lên 9.6p1, chờ lần quét tới xác minh."
        )
    elif fate == "accepted":
        until = timezone.localdate() + dt.timedelta(days=90)
        work.accept_risk(
            f,
            by=None,
            reason="Thiết bị cũ chưa hỗ trợ TLS 1.2; đã giới hạn truy cập qua VPN nội bộ.",
            until=until,
        )
    elif fate == "mitigated":
        f.status = Finding.Status.MITIGATED
        f.save(update_fields=["status"])


# Scans of five units: KEV findings overdue, fixed awaiting a scan, an accepted risk.
demo.register("vulns", load, order=100)
