"""osv-scanner JSON (`osv-scanner --format json`).

One finding is one OSV advisory (GHSA, PYSEC, RUSTSEC…, its CVE aliases listed) in one
package name and version of one scanned source (lock file, SBOM or directory). Severity is
the group's highest CVSS score, or the advisory database's own word when no score is given.
"""

from __future__ import annotations

from citysoc.vulns.parsers.base import (
    FindingRecord,
    ParsedReport,
    ParseError,
    Rejected,
    cves_in,
    read_json,
    severity_from_cvss,
    severity_word,
    to_float,
)

NAME = "osv"
LABEL = "osv-scanner JSON"
EXTENSIONS = (".json",)


def sniff(head: bytes, filename: str = "") -> bool:
    text = head[:65536]
    return b'"results"' in text and b'"packages"' in text and b'"source"' in text


def parse(data: bytes, filename: str = "") -> ParsedReport:
    if not data.strip():  # osv-scanner writes nothing when it finds nothing
        return ParsedReport(NAME, ())
    doc = read_json(data)
    if not isinstance(doc, dict) or not isinstance(doc.get("results", []), list):
        raise ParseError("not an osv-scanner report: no 'results' list at the top level")
    findings: list[FindingRecord] = []
    rejected: list[Rejected] = []
    scope: list[str] = []
    for r, result in enumerate(doc.get("results") or [], start=1):
        source = (result.get("source") or {}).get("path", "") if isinstance(result, dict) else ""
        scope.append(str(source))
        for p, entry in enumerate(result.get("packages") or [], start=1):
            package = entry.get("package") or {}
            name, version = str(package.get("name", "")), str(package.get("version", ""))
            groups = entry.get("groups") or []
            for v, vuln in enumerate(entry.get("vulnerabilities") or [], start=1):
                ident = str(vuln.get("id", "")) if isinstance(vuln, dict) else ""
                if not ident:
                    rejected.append(Rejected(f"results[{r}].packages[{p}][{v}]", "no id"))
                    continue
                group: dict = next((g for g in groups if ident in (g.get("ids") or [])), {})
                score = to_float(group.get("max_severity"))
                word = (vuln.get("database_specific") or {}).get("severity", "")
                vector = next(
                    (
                        str(s.get("score", ""))
                        for s in vuln.get("severity") or []
                        if str(s.get("type", "")).startswith("CVSS")
                    ),
                    "",
                )
                fixed = _fixed(vuln, name)
                findings.append(
                    FindingRecord(
                        title=f"{ident} {name} {version}: {vuln.get('summary', '')}".strip(": "),
                        severity=severity_from_cvss(score)
                        if score is not None
                        else severity_word(word, "info"),
                        cves=cves_in(ident, *(vuln.get("aliases") or [])),
                        cvss=score,
                        cvss_vector=vector,
                        package=name,
                        version=version,
                        location=str(source),
                        rule=ident,
                        description=str(vuln.get("details") or vuln.get("summary") or ""),
                        solution=f"Upgrade {name} to {fixed}" if fixed else "",
                        references=tuple(
                            str(ref.get("url", ""))
                            for ref in vuln.get("references") or []
                            if ref.get("url")
                        ),
                        fixed_version=fixed,
                    )
                )
    return ParsedReport(NAME, tuple(findings), tuple(rejected), scope=tuple(dict.fromkeys(scope)))


def _fixed(vuln: dict, name: str) -> str:
    for affected in vuln.get("affected") or []:
        if (affected.get("package") or {}).get("name") != name:
            continue
        for rng in affected.get("ranges") or []:
            for event in rng.get("events") or []:
                if event.get("fixed"):
                    return str(event["fixed"])
    return ""
