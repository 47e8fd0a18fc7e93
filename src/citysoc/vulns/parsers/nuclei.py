"""Nuclei JSON Lines (`-jsonl`, older `-json`) and JSON array (`-json-export`).

One finding is one template (and its matcher name, when the template has several) at one
matched URL or host:port. The same line twice is one finding.
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
    read_json,
    read_json_lines,
    severity_word,
    to_float,
    unique,
)

NAME = "nuclei"
LABEL = "Nuclei JSONL / JSON"
EXTENSIONS = (".jsonl", ".json")


def sniff(head: bytes, filename: str = "") -> bool:
    text = head[:65536]
    return b'"template-id"' in text or b'"templateID"' in text


def parse(data: bytes, filename: str = "") -> ParsedReport:
    stripped = data.lstrip()
    if not stripped:  # nuclei writes an empty file when nothing matched
        return ParsedReport(NAME, ())
    if stripped[:1] == b"[":
        doc = read_json(data)
        items = list(enumerate(doc, start=1))
        where = "item"
    else:
        items = list(read_json_lines(data))
        where = "line"
    findings: list[FindingRecord] = []
    rejected: list[Rejected] = []
    for number, item in items:
        if not isinstance(item, dict):
            raise ParseError(f"{where} {number} is not a JSON object")
        template = str(item.get("template-id") or item.get("templateID") or "")
        matched = str(item.get("matched-at") or item.get("matched") or item.get("host") or "")
        if not template or not matched:
            rejected.append(Rejected(f"{where} {number}", "no template id or matched target"))
            continue
        info = item.get("info") or {}
        matcher = str(item.get("matcher-name") or item.get("matcher_name") or "")
        classification = info.get("classification") or {}
        address, port = _host_port(matched, str(item.get("ip") or ""))
        name = str(info.get("name") or template)
        findings.append(
            FindingRecord(
                title=f"{name} ({matcher})" if matcher else name,
                severity=severity_word(info.get("severity"), "info"),
                address=address,
                hostname=_host_port(str(item.get("host") or matched), "")[0],
                port=port,
                protocol=str(item.get("type") or ""),
                cves=cves_in(*_list(classification.get("cve-id"))),
                cvss=to_float(classification.get("cvss-score")),
                cvss_vector=str(classification.get("cvss-metrics") or ""),
                location=matched,
                rule=f"{template}:{matcher}" if matcher else template,
                description=str(info.get("description") or ""),
                solution=str(info.get("remediation") or ""),
                references=lines_of(info.get("reference")),
            )
        )
    return ParsedReport(NAME, unique(findings), tuple(rejected))


def _list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _host_port(target: str, ip: str) -> tuple[str, int | None]:
    """Address (the IP nuclei resolved, else the host name) and port of a matched target."""
    parts = urlsplit(target if "://" in target else f"//{target}")
    try:
        port = parts.port
    except ValueError:
        port = None
    return (ip.rstrip(".") or parts.hostname or target), port
