"""OWASP ZAP report: XML (`-x`, "traditional-xml", "xml-plus") and JSON ("traditional-json").

One finding is one alert (plugin id and alert reference) on one site; the URLs where it was
seen (its instances) are listed in the description. The same alert listed twice for the
same site is one finding.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from citysoc.vulns.parsers.base import (
    FindingRecord,
    ParsedReport,
    ParseError,
    Rejected,
    read_json,
    read_xml,
    severity_word,
    unique,
)

NAME = "zap"
LABEL = "OWASP ZAP (XML, JSON)"
EXTENSIONS = (".xml", ".json")
_TAG = re.compile(r"<[^>]+>")
_MAX_URLS = 20


def sniff(head: bytes, filename: str = "") -> bool:
    text = head[:4096]
    return b"<OWASPZAPReport" in text or (b'"@programName"' in text and b"ZAP" in text)


def _plain(value: object) -> str:
    """ZAP's HTML-ish texts (`<p>…</p>`) as plain paragraphs."""
    text = str(value or "").replace("</p>", "\n")
    return html.unescape(_TAG.sub("", text)).strip()


def _record(site: str, alert: dict, instances: list[dict], where: str) -> FindingRecord:
    parts = urlsplit(site)
    plugin = str(alert.get("pluginid") or "")
    ref = str(alert.get("alertRef") or plugin)
    urls = list(dict.fromkeys(i.get("uri", "") for i in instances if i.get("uri")))
    description = _plain(alert.get("desc"))
    if urls:
        shown = "\n".join(urls[:_MAX_URLS])
        more = f"\n… and {len(urls) - _MAX_URLS} more" if len(urls) > _MAX_URLS else ""
        description = f"{description}\n\nSeen at:\n{shown}{more}".strip()
    cwe = str(alert.get("cweid") or "")
    refs = [r for r in _plain(alert.get("reference")).split() if r]
    if cwe and cwe not in ("0", "-1"):
        refs.append(f"CWE-{cwe}")
    return FindingRecord(
        title=str(alert.get("name") or alert.get("alert") or f"ZAP alert {plugin}"),
        severity=severity_word(alert.get("riskcode"), "info"),
        address=parts.hostname or site,
        port=parts.port or {"https": 443, "http": 80}.get(parts.scheme),
        protocol="tcp",
        location=site,
        rule=f"zap/{ref}",
        description=description,
        solution=_plain(alert.get("solution")),
        references=tuple(dict.fromkeys(refs)),
    )


def parse(data: bytes, filename: str = "") -> ParsedReport:
    findings: list[FindingRecord] = []
    rejected: list[Rejected] = []
    sites: list[str] = []
    if data.lstrip()[:1] == b"<":
        root = read_xml(data)
        if root.tag != "OWASPZAPReport":
            raise ParseError(f"root element is <{root.tag}>, not <OWASPZAPReport>")
        for s, site in enumerate(root.iter("site"), start=1):
            name = site.get("name", "")
            sites.append(name)
            for a, item in enumerate(site.iter("alertitem"), start=1):
                alert = {child.tag: (child.text or "") for child in item if len(child) == 0}
                instances = [
                    {c.tag: (c.text or "") for c in inst} for inst in item.iterfind("instances/*")
                ]
                if not name or not alert.get("pluginid"):
                    rejected.append(Rejected(f"site #{s} alert #{a}", "no site name or pluginid"))
                    continue
                findings.append(_record(name, alert, instances, f"site #{s} alert #{a}"))
        hosts = [urlsplit(s).hostname or s for s in sites if s]
        return ParsedReport(NAME, unique(findings), tuple(rejected), tuple(dict.fromkeys(hosts)))
    doc = read_json(data)
    if not isinstance(doc, dict) or not isinstance(doc.get("site"), list):
        raise ParseError("not a ZAP JSON report: no 'site' list at the top level")
    for s, site in enumerate(doc["site"], start=1):
        name = str(site.get("@name", ""))
        sites.append(name)
        for a, alert in enumerate(site.get("alerts") or [], start=1):
            if not name or not alert.get("pluginid"):
                rejected.append(Rejected(f"site #{s} alert #{a}", "no site name or pluginid"))
                continue
            findings.append(_record(name, alert, alert.get("instances") or [], f"{s}/{a}"))
    hosts = [urlsplit(s).hostname or s for s in sites if s]
    return ParsedReport(NAME, unique(findings), tuple(rejected), tuple(dict.fromkeys(hosts)))
