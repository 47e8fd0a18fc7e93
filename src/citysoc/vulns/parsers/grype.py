"""Anchore Grype JSON (`grype -o json`).

One finding is one vulnerability (CVE or GHSA id) in one package name and version of the
scanned image or directory; the same match at several file paths is one finding, the paths
listed in its description. The score and vector are the highest CVSS version given, first
from the match itself, then from its related (NVD) records.
"""

from __future__ import annotations

from citysoc.vulns.parsers.base import (
    FindingRecord,
    ParsedReport,
    ParseError,
    Rejected,
    cves_in,
    lines_of,
    read_json,
    severity_word,
    to_float,
)

NAME = "grype"
LABEL = "Grype JSON"
EXTENSIONS = (".json",)


def sniff(head: bytes, filename: str = "") -> bool:
    text = head[:65536]
    return b'"matches"' in text and (b'"artifact"' in text or b'"grype"' in text)


def _cvss(vuln: dict, related: list) -> tuple[float | None, str]:
    entries = [c for c in vuln.get("cvss") or [] if isinstance(c, dict)]
    if not entries:
        entries = [c for r in related if isinstance(r, dict) for c in r.get("cvss") or []]
    best = None
    for c in entries:
        score = to_float((c.get("metrics") or {}).get("baseScore"))
        if score is None:
            continue
        rank = (str(c.get("version", "")), score)
        if best is None or rank > best[0]:
            best = (rank, score, str(c.get("vector", "")))
    return (best[1], best[2]) if best else (None, "")


def parse(data: bytes, filename: str = "") -> ParsedReport:
    doc = read_json(data)
    if not isinstance(doc, dict) or not isinstance(doc.get("matches"), list):
        raise ParseError("not a Grype report: no 'matches' list at the top level")
    source = doc.get("source") or {}
    target = source.get("target") if isinstance(source, dict) else ""
    if isinstance(target, dict):
        target = target.get("userInput") or target.get("imageID") or ""
    target = str(target or "")
    merged: dict[tuple, tuple[FindingRecord, list[str]]] = {}
    rejected: list[Rejected] = []
    for i, match in enumerate(doc["matches"], start=1):
        vuln = match.get("vulnerability") if isinstance(match, dict) else None
        artifact = match.get("artifact") if isinstance(match, dict) else None
        if not isinstance(vuln, dict) or not isinstance(artifact, dict) or not vuln.get("id"):
            rejected.append(Rejected(f"matches[{i}]", "no vulnerability id or artifact"))
            continue
        ident = str(vuln["id"])
        package, version = str(artifact.get("name", "")), str(artifact.get("version", ""))
        paths = [str(loc.get("path", "")) for loc in artifact.get("locations") or []]
        key = (ident, package, version)
        if key in merged:
            merged[key][1].extend(paths)
            continue
        related = match.get("relatedVulnerabilities") or []
        score, vector = _cvss(vuln, related)
        fix = vuln.get("fix") or {}
        description = vuln.get("description") or next(
            (r.get("description") for r in related if isinstance(r, dict) and r.get("description")),
            "",
        )
        urls = list(vuln.get("urls") or []) + [u for r in related for u in r.get("urls") or []]
        fixed = ", ".join(str(v) for v in fix.get("versions") or [])
        record = FindingRecord(
            title=f"{ident} {package} {version}".strip(),
            severity=severity_word(vuln.get("severity"), "info"),
            cves=cves_in(ident, *(r.get("id") for r in related if isinstance(r, dict))),
            cvss=score,
            cvss_vector=vector,
            package=package,
            version=version,
            location=target,
            rule=ident,
            description=str(description or ""),
            solution=f"Upgrade {package} to {fixed}" if fixed else "",
            references=lines_of(urls),
            fixed_version=fixed,
        )
        merged[key] = (record, paths)
    findings = []
    for record, paths in merged.values():
        where = "\n".join(dict.fromkeys(p for p in paths if p))
        if where:
            text = f"{record.description}\n\nFound at:\n{where}".strip()
            record = _with_description(record, text)
        findings.append(record)
    return ParsedReport(NAME, tuple(findings), tuple(rejected), scope=(target,) if target else ())


def _with_description(record: FindingRecord, text: str) -> FindingRecord:
    from dataclasses import replace

    return replace(record, description=text)
