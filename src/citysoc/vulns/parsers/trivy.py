"""Trivy JSON (legacy list, schema 2, `trivy k8s`): vulnerabilities, misconfigurations,
secrets, licences.

One finding is a vulnerability ID × package × installed version × target; one failed
misconfiguration check × target; one secret rule × target × line; one licence × package.
Passed misconfiguration checks are not findings. The scanned artifact (image, repository,
file system, cluster resource) is the finding's location and the re-scan scope.
"""

from __future__ import annotations

from citysoc.vulns.parsers.base import (
    FindingRecord,
    ParsedReport,
    ParseError,
    cves_in,
    lines_of,
    read_json,
    severity_word,
    to_float,
)

NAME = "trivy"
LABEL = "Trivy JSON"
EXTENSIONS = (".json",)


def sniff(head: bytes, filename: str = "") -> bool:
    text = head[:65536]
    if b'"Target"' not in text:
        return False
    return any(k in text for k in (b'"SchemaVersion"', b'"Vulnerabilities"', b'"ClusterName"'))


def _sev(value) -> str:
    return severity_word(value, "info")


def parse(data: bytes, filename: str = "") -> ParsedReport:
    doc = read_json(data)
    if doc is None:  # legacy Trivy writes `null` when it found nothing
        groups: list[tuple[str, list]] = []
    elif isinstance(doc, list):
        groups = [("", doc)]
    elif isinstance(doc, dict) and "Resources" in doc:  # `trivy k8s`: results per resource
        cluster = str(doc.get("ClusterName") or "")
        groups = [
            (
                "/".join(
                    p
                    for p in (cluster, res.get("Namespace"), res.get("Kind"), res.get("Name"))
                    if p
                ),  # fmt: skip
                res.get("Results") or [],
            )
            for res in doc.get("Resources") or []
            if isinstance(res, dict)
        ]
    elif isinstance(doc, dict):
        groups = [(str(doc.get("ArtifactName") or ""), doc.get("Results") or [])]
    else:
        raise ParseError("top level is neither a list of results nor a Trivy report object")
    findings: list[FindingRecord] = []
    scope: list[str] = []
    for artifact, results in groups:
        scope.append(artifact)  # a clean re-scan of the image still closes its findings
        for i, result in enumerate(results, start=1):
            if not isinstance(result, dict):
                raise ParseError(f"Results[{i}] is not an object")
            target = str(result.get("Target", ""))
            location = f"{artifact} {target}".strip() if artifact != target else target
            if not artifact:
                scope.append(target)
            findings.extend(_result(result, location))
    return ParsedReport(NAME, tuple(findings), scope=tuple(dict.fromkeys(s for s in scope if s)))


def _result(result: dict, location: str):
    for v in result.get("Vulnerabilities") or []:
        ident = str(v.get("VulnerabilityID", ""))
        score, vector = _cvss(v.get("CVSS"), str(v.get("SeveritySource") or ""))
        package = str(v.get("PkgName", ""))
        fixed = str(v.get("FixedVersion") or "")
        yield FindingRecord(
            title=f"{ident} {package}: {v.get('Title', '')}".strip(": "),
            severity=_sev(v.get("Severity")),
            cves=cves_in(ident, *(v.get("VendorIDs") or [])),
            cvss=score,
            cvss_vector=vector,
            package=package,
            version=str(v.get("InstalledVersion", "")),
            location=location,
            rule=ident,
            description=str(v.get("Description") or ""),
            solution=f"Upgrade {package} to {fixed}" if fixed else "",
            references=lines_of([v["PrimaryURL"]] if v.get("PrimaryURL") else [])
            + lines_of(v.get("References") or []),
            fixed_version=fixed,
        )
    for m in result.get("Misconfigurations") or []:
        if str(m.get("Status", "FAIL")).upper() != "FAIL":
            continue
        ident = str(m.get("ID") or m.get("AVDID") or "")
        cause = m.get("CauseMetadata") or {}
        line = cause.get("StartLine") if isinstance(cause, dict) else None
        yield FindingRecord(
            title=f"{ident} {m.get('Title', '')}".strip(),
            severity=_sev(m.get("Severity")),
            location=location,
            rule=f"misconfig/{ident}",
            description="\n\n".join(
                str(p)
                for p in (m.get("Description"), m.get("Message"), line and f"line {line}")
                if p
            ),
            solution=str(m.get("Resolution") or ""),
            references=lines_of(m.get("References") or []),
            kind="misconfiguration",
        )
    for s in result.get("Secrets") or []:
        ident = str(s.get("RuleID", ""))
        yield FindingRecord(
            title=f"Secret: {s.get('Title', ident)}",
            severity=_sev(s.get("Severity")),
            location=f"{location}:{s.get('StartLine', '')}",
            rule=f"secret/{ident}",
            # Trivy masks the secret in Match; never store more than it gives.
            description=str(s.get("Match") or ""),
            solution="Revoke the secret, issue a new one and remove it from the file.",
            kind="secret",
        )
    for lic in result.get("Licenses") or []:
        name = str(lic.get("Name", ""))
        yield FindingRecord(
            title=f"License {name} {lic.get('PkgName', '')}".strip(),
            severity=_sev(lic.get("Severity")),
            package=str(lic.get("PkgName", "")),
            location=f"{location} {lic.get('FilePath') or ''}".strip(),
            rule=f"license/{name}",
            references=lines_of([lic["Link"]] if lic.get("Link") else []),
            kind="license",
        )


def _cvss(cvss, source: str) -> tuple[float | None, str]:
    """Score and vector from the severity source's entry, else NVD's, else any vendor's."""
    if not isinstance(cvss, dict) or not cvss:
        return None, ""
    order = [source, "nvd", *cvss.keys()]
    for vendor in order:
        entry = cvss.get(vendor)
        if not isinstance(entry, dict):
            continue
        for score_key, vector_key in (
            ("V40Score", "V40Vector"),
            ("V3Score", "V3Vector"),
            ("V2Score", "V2Vector"),
        ):
            score = to_float(entry.get(score_key))
            if score is not None:
                return score, str(entry.get(vector_key) or "")
    return None, ""
