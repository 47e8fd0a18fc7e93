"""Trivy JSON (legacy, schema 2, k8s): vulnerabilities, misconfigurations, secrets, licenses.

One finding is a vulnerability ID × package × installed version × target; one failed
misconfiguration check × target; one secret rule × target × line; one license × package.
Passed misconfiguration checks are not findings.
"""

from __future__ import annotations

import json

from citysoc.vulns.parsers.base import MAX_BYTES, FindingRecord, ParsedReport, ParseError

NAME = "trivy"
LABEL = "Trivy JSON"
EXTENSIONS = (".json",)
_SEV = {"UNKNOWN": "info", "LOW": "low", "MEDIUM": "medium", "HIGH": "high", "CRITICAL": "critical"}


def sniff(head: bytes, filename: str = "") -> bool:
    text = head[:65536]
    return b'"Target"' in text and (b'"SchemaVersion"' in text or b'"Vulnerabilities"' in text)


def _load(data: bytes):
    if len(data) > MAX_BYTES:
        raise ParseError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise ParseError(f"JSON unreadable at line {exc.lineno}, column {exc.colno}") from exc
    except RecursionError as exc:
        raise ParseError("JSON nested too deep") from exc


def _sev(value) -> str:
    return _SEV.get(str(value or "").upper(), "info")


def parse(data: bytes, filename: str = "") -> ParsedReport:
    doc = _load(data)
    if doc is None:  # legacy Trivy writes `null` when it found nothing
        results = []
    elif isinstance(doc, list):
        results = doc
    elif isinstance(doc, dict) and "Resources" in doc:  # `trivy k8s`: results per resource
        results = [r for res in doc.get("Resources") or [] for r in res.get("Results") or []]
    elif isinstance(doc, dict):
        results = doc.get("Results") or []
    else:
        raise ParseError("top level is neither a list of results nor a Trivy report object")
    artifact = doc.get("ArtifactName", "") if isinstance(doc, dict) else ""
    findings: list[FindingRecord] = []
    for i, result in enumerate(results, start=1):
        if not isinstance(result, dict):
            raise ParseError(f"Results[{i}] is not an object")
        target = str(result.get("Target", ""))
        for v in result.get("Vulnerabilities") or []:
            ident = str(v.get("VulnerabilityID", ""))
            score = _score(v.get("CVSS"))
            findings.append(
                FindingRecord(
                    title=f"{ident} {v.get('PkgName', '')}".strip(),
                    severity=_sev(v.get("Severity")),
                    cves=(ident,) if ident.upper().startswith("CVE-") else (),
                    cvss=score,
                    package=str(v.get("PkgName", "")),
                    version=str(v.get("InstalledVersion", "")),
                    location=f"{artifact} {target}".strip(),
                    rule=ident,
                )
            )
        for m in result.get("Misconfigurations") or []:
            if str(m.get("Status", "FAIL")).upper() != "FAIL":
                continue
            ident = str(m.get("ID") or m.get("AVDID") or "")
            findings.append(
                FindingRecord(
                    title=f"{ident} {m.get('Title', '')}".strip(),
                    severity=_sev(m.get("Severity")),
                    location=target,
                    rule=f"misconfig/{ident}",
                )
            )
        for s in result.get("Secrets") or []:
            ident = str(s.get("RuleID", ""))
            findings.append(
                FindingRecord(
                    title=f"Secret: {s.get('Title', ident)}",
                    severity=_sev(s.get("Severity")),
                    location=f"{target}:{s.get('StartLine', '')}",
                    rule=f"secret/{ident}",
                )
            )
        for lic in result.get("Licenses") or []:
            name = str(lic.get("Name", ""))
            findings.append(
                FindingRecord(
                    title=f"License {name} {lic.get('PkgName', '')}".strip(),
                    severity=_sev(lic.get("Severity")),
                    package=str(lic.get("PkgName", "")),
                    location=str(lic.get("FilePath") or target),
                    rule=f"license/{name}",
                )
            )
    return ParsedReport(NAME, tuple(findings))


def _score(cvss) -> float | None:
    if not isinstance(cvss, dict):
        return None
    scores = [
        float(v[k])
        for v in cvss.values()
        if isinstance(v, dict)
        for k in ("V3Score", "V2Score")
        if isinstance(v.get(k), int | float)
    ]
    return max(scores) if scores else None
