"""osv-scanner JSON: advisory × package × version × source; severity from the group score."""

from __future__ import annotations

import pytest

from citysoc.vulns.parsers import detect, osv
from citysoc.vulns.parsers.base import ParseError
from tests.vulns.support import FIXTURES

HERE = FIXTURES / "osv"


def test_records_and_detection():
    data = (HERE / "two_packages.json").read_bytes()
    assert detect(data, "upload.bin") is osv
    report = osv.parse(data)
    assert [(f.rule, f.package, f.severity) for f in report.findings] == [
        ("GHSA-0001-test-0001", "django", "critical"),
        ("PYSEC-2099-2", "django", "medium"),  # no score: the database's word
        ("GHSA-0003-test-0003", "requests", "low"),
    ]
    first = report.findings[0]
    assert first.cves == ("CVE-2099-0001",) and first.fixed_version == "4.2.2"
    assert first.cvss_vector.startswith("CVSS:3.1/") and first.cvss == 9.8
    assert report.scope == ("/src/ward-portal/requirements.txt",)


def test_empty_file_is_an_empty_report():
    assert osv.parse((HERE / "no_findings.json").read_bytes()).findings == ()


def test_truncated_names_its_line():
    data = (HERE / "two_packages.json").read_bytes()
    with pytest.raises(ParseError, match=r"line \d+"):
        osv.parse(data[:700])
