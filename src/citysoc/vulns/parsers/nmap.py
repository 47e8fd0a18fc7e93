"""Nmap XML (`-oX`): one finding per open port of each host, plus one per `vulners` CVE.

A port whose state is `open` (not `open|filtered`, `filtered` or `closed`) is one info
finding titled with its service and version. Each CVE listed by the `vulners` NSE script
under that port is one more finding, its severity from the CVSS score vulners gives.
Hosts that are up are listed even without open ports, so a re-scan can close findings.
"""

from __future__ import annotations

from citysoc.vulns.parsers.base import (
    FindingRecord,
    ParsedReport,
    ParseError,
    Rejected,
    read_xml,
    severity_from_cvss,
    unique,
)

NAME = "nmap"
LABEL = "Nmap XML"
EXTENSIONS = (".xml",)


def sniff(head: bytes, filename: str = "") -> bool:
    return b"<nmaprun" in head[:4096]


def parse(data: bytes, filename: str = "") -> ParsedReport:
    root = read_xml(data)
    if root.tag != "nmaprun":
        raise ParseError(f"root element is <{root.tag}>, not <nmaprun>")
    findings: list[FindingRecord] = []
    rejected: list[Rejected] = []
    hosts: list[str] = []
    for number, host in enumerate(root.iter("host"), start=1):
        status = host.find("status")
        if status is not None and status.get("state") != "up":
            continue
        address = _address(host)
        if not address:
            rejected.append(Rejected(f"host #{number}", "no address"))
            continue
        hosts.append(address)
        name_el = host.find("hostnames/hostname")
        hostname = name_el.get("name", "") if name_el is not None else ""
        for port in host.iter("port"):
            state = port.find("state")
            if state is None or state.get("state") != "open":
                continue
            protocol = port.get("protocol", "")
            try:
                number_ = int(port.get("portid", ""))
            except ValueError:
                rejected.append(
                    Rejected(f"host {address} <port portid={port.get('portid')!r}>", "bad port")
                )
                continue
            findings.append(
                FindingRecord(
                    title=f"Open port {number_}/{protocol} {_service(port)}".strip(),
                    severity="info",
                    address=address,
                    hostname=hostname,
                    port=number_,
                    protocol=protocol,
                    rule=f"port/{protocol}/{number_}",
                    description=_scripts(port),
                    kind="open-port",
                )
            )
            findings.extend(_vulners(port, address, hostname, number_, protocol))
    return ParsedReport(NAME, unique(findings), tuple(rejected), tuple(hosts))


def _address(host) -> str:
    for kind in ("ipv4", "ipv6"):
        for el in host.findall("address"):
            if el.get("addrtype") == kind:
                return el.get("addr", "")
    return ""


def _service(port) -> str:
    svc = port.find("service")
    if svc is None:
        return ""
    parts = [svc.get("name", ""), svc.get("product", ""), svc.get("version", "")]
    return " ".join(p for p in parts if p)


def _scripts(port) -> str:
    """Service name/version and the NSE scripts' output for this port, as plain text."""
    lines = [_service(port)]
    lines += [
        f"{s.get('id')}: {s.get('output', '').strip()}"
        for s in port.findall("script")
        if s.get("id") != "vulners"
    ]
    return "\n".join(line for line in lines if line)


def _vulners(port, address: str, hostname: str, number: int, protocol: str):
    for script in port.findall("script"):
        if script.get("id") != "vulners":
            continue
        for entry in script.iter("table"):
            fields = {el.get("key"): (el.text or "") for el in entry.findall("elem")}
            ident = fields.get("id", "")
            if not ident or fields.get("type", "cve").lower() != "cve":
                continue
            try:
                score = float(fields.get("cvss", "") or "nan")
            except ValueError:
                score = None
            score = None if score != score else score  # NaN: no score given
            yield FindingRecord(
                title=ident,
                severity=severity_from_cvss(score),
                address=address,
                hostname=hostname,
                port=number,
                protocol=protocol,
                cves=(ident.upper(),),
                cvss=score,
                rule=f"vulners/{ident.upper()}",
                description=f"{_service(port)}: {ident} (vulners)".strip(": "),
                references=(f"https://vulners.com/cve/{ident.upper()}",),
            )
