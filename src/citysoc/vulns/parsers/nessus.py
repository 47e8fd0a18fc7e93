"""Nessus / Tenable: `.nessus` (NessusClientData_v2) XML and CSV exports, also Nessus WAS.

One finding is one plugin on one host and port/protocol (Nessus lists a plugin once per
port it fired on). Severity 0 ("None") plugins are informational findings. A web-app scan
(WAS) names its host by URL: the address is the URL's host name, the location the URL.
CSV comes in three header sets (Nessus "Plugin ID", Tenable.sc "Plugin", Tenable.io);
the same plugin × host × port on several rows is one finding.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from citysoc.vulns.parsers.base import (
    FindingRecord,
    ParsedReport,
    ParseError,
    Rejected,
    cves_in,
    lines_of,
    read_csv,
    read_xml,
    severity_word,
    text_of,
    to_float,
    unique,
)

NAME = "nessus"
LABEL = "Nessus / Tenable (.nessus XML, CSV, WAS)"
EXTENSIONS = (".nessus", ".xml", ".csv")


def sniff(head: bytes, filename: str = "") -> bool:
    if b"<NessusClientData_v2" in head[:8192]:
        return True
    first = head.split(b"\n", 1)[0].lstrip(b"\xef\xbb\xbf")
    return first.startswith((b"Plugin ID,", b"Plugin,", b'"Plugin ID"', b'"Plugin"')) or (
        b"Plugin ID" in first and b"Risk" in first
    )


def parse(data: bytes, filename: str = "") -> ParsedReport:
    if data.lstrip()[:1] == b"<":
        return _parse_xml(data)
    return _parse_csv(data)


def _split_host(name: str) -> tuple[str, str]:
    """(address, url) from a ReportHost name or CSV host cell: WAS names hosts by URL."""
    if "://" in name:
        return (urlsplit(name).hostname or name), name
    return name, ""


def _parse_xml(data: bytes) -> ParsedReport:
    root = read_xml(data)
    if root.tag != "NessusClientData_v2":
        raise ParseError(f"root element is <{root.tag}>, not <NessusClientData_v2>")
    findings: list[FindingRecord] = []
    rejected: list[Rejected] = []
    hosts: list[str] = []
    for number, host in enumerate(root.iter("ReportHost"), start=1):
        props = {t.get("name"): (t.text or "").strip() for t in host.iterfind("HostProperties/tag")}
        name = host.get("name", "").strip()
        address, url = _split_host(name)
        address = props.get("host-ip") or address
        hostname = props.get("host-fqdn") or props.get("hostname") or ""
        if not address:
            rejected.append(Rejected(f"ReportHost #{number}", "no name or host-ip"))
            continue
        hosts.append(address)
        for item in host.iter("ReportItem"):
            plugin = item.get("pluginID", "")
            where = f"host {address} plugin {plugin or '?'}"
            if not plugin:
                rejected.append(Rejected(where, "ReportItem without pluginID"))
                continue
            try:
                port = int(item.get("port") or 0) or None
            except ValueError:
                rejected.append(Rejected(where, f"port {item.get('port')!r} is not a number"))
                continue
            findings.append(_xml_finding(item, plugin, address, hostname, port, url))
    return ParsedReport(NAME, unique(findings), tuple(rejected), tuple(hosts))


def _xml_finding(item, plugin, address, hostname, port, url) -> FindingRecord:
    score, vector = None, ""
    for s_tag, v_tag in (
        ("cvss4_base_score", "cvss4_vector"),
        ("cvss3_base_score", "cvss3_vector"),
        ("cvss_base_score", "cvss_vector"),
        ("cvssv3", ""),
        ("cvss", ""),
    ):
        score = to_float(text_of(item, s_tag))
        if score is not None:
            vector = text_of(item, v_tag) if v_tag else ""
            break
    severity = severity_word(item.get("severity"), "info")
    description = text_of(item, "description") or text_of(item, "synopsis")
    output = text_of(item, "plugin_output")
    if output:
        description = f"{description}\n\nPlugin output:\n{output}".strip()
    refs = [r for el in item.iterfind("see_also") for r in lines_of(el.text)]
    return FindingRecord(
        title=item.get("pluginName") or text_of(item, "plugin_name") or f"Nessus plugin {plugin}",
        severity=severity,
        address=address,
        hostname=hostname,
        port=port,
        protocol=item.get("protocol", "").lower(),
        cves=cves_in(*(el.text for el in item.iterfind("cve"))),
        cvss=score,
        cvss_vector=vector,
        location=url,
        rule=f"plugin/{plugin}",
        description=description,
        solution=text_of(item, "solution"),
        references=tuple(dict.fromkeys(refs)),
        kind="vulnerability" if severity != "info" else "info",
    )


# Column names per export flavour, first present wins.
_PLUGIN = ("Plugin ID", "Plugin")
_TITLE = ("Name", "Plugin Name")
_HOST = ("Host", "IP Address", "DNS Name")
_RISK = ("Risk", "Severity", "Risk Factor")
_SCORE = ("CVSS v4.0 Base Score", "CVSS V3 Base Score", "CVSSv3", "CVSS3 Base Score",
          "CVSS v3.0 Base Score", "CVSS V2 Base Score", "CVSS v2.0 Base Score", "CVSS",
          "CVSS Base Score")  # fmt: skip
_VECTOR = ("CVSS V3 Vector", "CVSS3 Vector", "CVSS V2 Vector", "CVSS Vector")


def _first(row: dict[str, str], names) -> str:
    return next((row[n] for n in names if row.get(n)), "")


def _parse_csv(data: bytes) -> ParsedReport:
    rows = read_csv(data, required=())
    findings: list[FindingRecord] = []
    rejected: list[Rejected] = []
    hosts: list[str] = []
    header_checked = False
    for line, row in rows:
        if not header_checked:
            if not any(c in row for c in _PLUGIN) or not any(c in row for c in _HOST):
                raise ParseError("CSV header has no 'Plugin ID' / 'Plugin' and 'Host' columns")
            header_checked = True
        plugin = _first(row, _PLUGIN)
        title = _first(row, _TITLE)
        cell = _first(row, _HOST)
        if not plugin or not title or not cell:
            missing = "plugin id" if not plugin else "name" if not title else "host"
            rejected.append(Rejected(f"line {line}", f"no {missing}"))
            continue
        address, url = _split_host(cell)
        if row.get("IP Address") and "://" not in cell:
            address = row["IP Address"]
        hostname = row.get("DNS Name") or row.get("FQDN") or (cell if cell != address else "")
        try:
            port = int(row.get("Port") or 0) or None
        except ValueError:
            rejected.append(Rejected(f"line {line}", f"port {row.get('Port')!r} is not a number"))
            continue
        hosts.append(address)
        severity = severity_word(_first(row, _RISK), "info")
        description = row.get("Description") or row.get("Synopsis", "")
        if row.get("Plugin Output") or row.get("Plugin Text"):
            output = row.get("Plugin Output") or row.get("Plugin Text")
            description = f"{description}\n\nPlugin output:\n{output}".strip()
        findings.append(
            FindingRecord(
                title=title,
                severity=severity,
                address=address,
                hostname=hostname,
                port=port,
                protocol=(row.get("Protocol") or "").lower(),
                cves=cves_in(row.get("CVE")),
                cvss=to_float(_first(row, _SCORE)),
                cvss_vector=_first(row, _VECTOR),
                location=url,
                rule=f"plugin/{plugin}",
                description=description,
                solution=row.get("Solution") or row.get("Steps to Remediate", ""),
                references=lines_of(row.get("See Also")),
                kind="vulnerability" if severity != "info" else "info",
            )
        )
    return ParsedReport(NAME, unique(findings), tuple(rejected), tuple(dict.fromkeys(hosts)))
