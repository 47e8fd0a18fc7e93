"""Trivy JSON: every DefectDojo sample gives DefectDojo's count; bad JSON names its line."""

from __future__ import annotations

import pytest

from citysoc.vulns.parsers import detect, trivy
from citysoc.vulns.parsers.base import ParseError
from tests.vulns.support import FIXTURES

HERE = FIXTURES / "trivy"


@pytest.mark.parametrize(
    ("name", "expected", "first"),
    [
        ("legacy_no_vuln", 0, None),
        ("legacy_many_vulns", 93, "low"),
        ("scheme_2_many_vulns", 5, "medium"),
        ("misconfigurations_and_secrets", 5, None),
        ("license_scheme", 19, "high"),
        ("issue_9092", 1, "high"),
        ("issue_9333", 13, "low"),
        ("issue_10991", 37, None),  # `trivy k8s`: results per cluster resource
        ("all_statuses", 8, None),
        ("cvss_severity_source", 2, "medium"),
        ("issue_14136", 1, "low"),
    ],
)
def test_defectdojo_counts(name, expected, first):
    report = trivy.parse((HERE / f"{name}.json").read_bytes())
    assert len(report.findings) == expected
    if first:
        assert report.findings[0].severity == first


def test_vulnerability_record_carries_package_and_cve():
    report = trivy.parse((HERE / "scheme_2_many_vulns.json").read_bytes())
    f = report.findings[0]
    assert f.cves and f.cves[0].startswith("CVE-") and f.package and f.version


def test_detected_from_content():
    data = (HERE / "scheme_2_many_vulns.json").read_bytes()
    assert detect(data[:65536], "report.bin") is trivy


def test_truncated_json_names_its_line():
    data = (HERE / "legacy_many_vulns.json").read_bytes()
    with pytest.raises(ParseError, match=r"line \d+"):
        trivy.parse(data[:5000])


def test_clean_rescan_of_an_image_still_names_it_as_scope():
    import json

    doc = json.loads((HERE / "scheme_2_many_vulns.json").read_bytes())
    doc["Results"] = []
    report = trivy.parse(json.dumps(doc).encode())
    assert report.findings == () and report.scope == (doc["ArtifactName"],)


def test_details_kinds_and_fixed_version():
    report = trivy.parse((HERE / "misconfigurations_and_secrets.json").read_bytes())
    kinds = [f.kind for f in report.findings]
    assert "misconfiguration" in kinds and "secret" in kinds
    secret = next(f for f in report.findings if f.kind == "secret")
    assert "*****" in secret.description  # only the masked match Trivy gives
    vuln = trivy.parse((HERE / "scheme_2_many_vulns.json").read_bytes()).findings[0]
    assert vuln.fixed_version and vuln.cvss is not None and vuln.cvss_vector.startswith("CVSS:3")
