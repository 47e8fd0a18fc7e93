"""masscan JSON (`masscan -oJ`): one informational finding per open port of each host.

masscan's JSON is a list of `{"ip", "ports": [{"port", "proto", "status"}]}`; older
versions leave a trailing comma before the closing bracket, which is accepted. A banner
record (`"service"`) for a port is folded into that port's finding.
"""

from __future__ import annotations

import re

from citysoc.vulns.parsers.base import (
    FindingRecord,
    ParsedReport,
    ParseError,
    Rejected,
    read_json,
    unique,
)

NAME = "masscan"
LABEL = "masscan JSON"
EXTENSIONS = (".json",)
_TRAILING_COMMA = re.compile(rb",\s*\]\s*$")


def sniff(head: bytes, filename: str = "") -> bool:
    text = head[:4096]
    return b'"ip"' in text and b'"ports"' in text and b'"proto"' in text


def parse(data: bytes, filename: str = "") -> ParsedReport:
    if not data.strip():  # masscan writes an empty file when nothing answered
        return ParsedReport(NAME, ())
    doc = read_json(_TRAILING_COMMA.sub(b"]", data.rstrip()))
    if not isinstance(doc, list):
        raise ParseError("not a masscan report: the top level is not a list")
    findings: list[FindingRecord] = []
    rejected: list[Rejected] = []
    hosts: list[str] = []
    for i, entry in enumerate(doc, start=1):
        address = str(entry.get("ip", "")) if isinstance(entry, dict) else ""
        if not address:
            rejected.append(Rejected(f"entry #{i}", "no ip"))
            continue
        hosts.append(address)
        for port in entry.get("ports") or []:
            if str(port.get("status", "open")) != "open":
                continue
            try:
                number = int(port.get("port"))
            except (TypeError, ValueError):
                rejected.append(Rejected(f"entry #{i} ({address})", "port is not a number"))
                continue
            protocol = str(port.get("proto", "tcp")).lower()
            service = port.get("service") or {}
            findings.append(
                FindingRecord(
                    title=f"Open port {number}/{protocol}",
                    severity="info",
                    address=address,
                    port=number,
                    protocol=protocol,
                    rule=f"port/{protocol}/{number}",
                    description=str(service.get("banner", "")) if isinstance(service, dict) else "",
                    kind="open-port",
                )
            )
    return ParsedReport(NAME, unique(findings), tuple(rejected), tuple(dict.fromkeys(hosts)))
