"""OpenVAS / Greenbone (GVM): XML report export and CSV results export.

One finding is one NVT (by OID) on one host and port ("general/tcp" and the like have no
port number). Severity comes from the threat level (Log and Debug are informational), or
from the CVSS score when the threat is missing. The same NVT × host × port on several
CSV rows (Greenbone lists one row per detected product) is one finding.
"""

from __future__ import annotations

from citysoc.vulns.parsers.base import (
    FindingRecord,
    ParsedReport,
    ParseError,
    Rejected,
    cves_in,
    lines_of,
    read_csv,
    read_xml,
    severity_from_cvss,
    severity_word,
    text_of,
    to_float,
    unique,
)

NAME = "openvas"
LABEL = "OpenVAS / Greenbone (XML, CSV)"
EXTENSIONS = (".xml", ".csv")
_CSV_COLUMNS = ("IP", "NVT Name", "NVT OID")


def sniff(head: bytes, filename: str = "") -> bool:
    first = head.split(b"\n", 1)[0]
    if b"NVT OID" in first and b"IP" in first:
        return True
    text = head[:65536]
    return (b"<report" in text or b"<get_reports_response" in text) and (
        b"<gmp>" in text or b"<omp>" in text or b"<nvt oid=" in text or b"<scan_run_status>" in text
    )


def parse(data: bytes, filename: str = "") -> ParsedReport:
    if data.lstrip()[:1] == b"<":
        return _parse_xml(data)
    return _parse_csv(data)


def _port(value: str) -> tuple[int | None, str]:
    """'443/tcp' → (443, 'tcp'); 'general/tcp' → (None, 'tcp')."""
    number, _, protocol = value.partition("/")
    return (int(number) if number.isdigit() else None), protocol.lower()


def _severity(threat: str, score: float | None) -> str:
    if threat and threat.lower() not in ("", "alarm"):
        return severity_word(threat, severity_from_cvss(score))
    return severity_from_cvss(score)


def _parse_xml(data: bytes) -> ParsedReport:
    root = read_xml(data)
    if root.tag not in ("report", "get_reports_response", "get_results_response"):
        raise ParseError(f"root element is <{root.tag}>, not an OpenVAS <report>")
    findings: list[FindingRecord] = []
    rejected: list[Rejected] = []
    hosts = [text_of(h, "ip") for h in root.iter("host") if h.find("ip") is not None]
    for number, result in enumerate(root.iter("result"), start=1):
        nvt = result.find("nvt")
        host_el = result.find("host")
        if nvt is None or host_el is None:  # a <result> reference inside <task> etc.
            continue
        oid = nvt.get("oid", "")
        address = (host_el.text or "").strip()
        if not oid or not address:
            rejected.append(Rejected(f"result #{number}", "no NVT OID or host"))
            continue
        tags = dict(part.split("=", 1) for part in text_of(nvt, "tags").split("|") if "=" in part)
        score = to_float(text_of(result, "severity")) or to_float(text_of(nvt, "cvss_base"))
        vector = tags.get("cvss_base_vector", "")
        for sev in nvt.iterfind("severities/severity"):
            vector = text_of(sev, "value") or vector
            break
        port, protocol = _port(text_of(result, "port"))
        severity = _severity(text_of(result, "threat"), score)
        refs = [r.get("id", "") for r in nvt.iterfind("refs/ref") if r.get("type") != "cve"]
        cve_ids = [r.get("id", "") for r in nvt.iterfind("refs/ref") if r.get("type") == "cve"]
        summary = " ".join(tags.get("summary", "").split())
        detail = text_of(result, "description")
        findings.append(
            FindingRecord(
                title=" ".join(text_of(nvt, "name").split()) or f"NVT {oid}",
                severity=severity,
                address=address,
                hostname=text_of(host_el, "hostname"),
                port=port,
                protocol=protocol,
                cves=cves_in(*cve_ids, text_of(nvt, "cve")),
                cvss=score,
                cvss_vector=vector,
                rule=f"nvt/{oid}",
                description="\n\n".join(p for p in (summary, detail) if p),
                solution=" ".join(tags.get("solution", "").split()),
                references=tuple(r for r in refs if r),
                kind="vulnerability" if severity != "info" else "info",
            )
        )
        hosts.append(address)
    return ParsedReport(NAME, unique(findings), tuple(rejected), tuple(dict.fromkeys(hosts)))


def _parse_csv(data: bytes) -> ParsedReport:
    findings: list[FindingRecord] = []
    rejected: list[Rejected] = []
    hosts: list[str] = []
    for line, row in read_csv(data, _CSV_COLUMNS):
        oid, address = row.get("NVT OID", ""), row.get("IP", "")
        if not oid or not address:
            rejected.append(Rejected(f"line {line}", "no NVT OID" if not oid else "no IP"))
            continue
        port = None
        if row.get("Port"):
            if not row["Port"].isdigit():
                rejected.append(Rejected(f"line {line}", f"port {row['Port']!r} is not a number"))
                continue
            port = int(row["Port"])
        score = to_float(row.get("CVSS"))
        severity = _severity(row.get("Severity", ""), score)
        hosts.append(address)
        findings.append(
            FindingRecord(
                title=row.get("NVT Name") or f"NVT {oid}",
                severity=severity,
                address=address,
                hostname=row.get("Hostname", ""),
                port=port,
                protocol=(row.get("Port Protocol") or "").lower(),
                cves=cves_in(row.get("CVEs")),
                cvss=score,
                rule=f"nvt/{oid}",
                description="\n\n".join(
                    p for p in (row.get("Summary", ""), row.get("Specific Result", "")) if p
                ),
                solution=row.get("Solution", ""),
                references=lines_of(row.get("Other References")),
                kind="vulnerability" if severity != "info" else "info",
            )
        )
    return ParsedReport(NAME, unique(findings), tuple(rejected), tuple(dict.fromkeys(hosts)))
