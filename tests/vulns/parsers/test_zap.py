"""OWASP ZAP XML and JSON: alert × site is one finding, its URLs in the description."""

from __future__ import annotations

import pytest

from citysoc.vulns.parsers import detect, zap
from citysoc.vulns.parsers.base import ParseError
from tests.vulns.support import FIXTURES

HERE = FIXTURES / "zap"


@pytest.mark.parametrize(
    ("name", "expected", "first"),
    [
        ("empty_2.9.0.xml", 0, ""),
        ("0_zap_sample.xml", 4, "low"),
        ("zap-xml-plus-format.xml", 1, "medium"),
        ("basic-traditional-json.json", 1, "high"),
    ],
)
def test_counts_and_detection(name, expected, first):
    data = (HERE / name).read_bytes()
    assert detect(data[:65536], "upload.bin") is zap
    report = zap.parse(data)
    assert len(report.findings) == expected and report.rejected == ()
    if first:
        assert report.findings[0].severity == first


def test_alert_has_site_urls_solution_and_cwe():
    f = zap.parse((HERE / "0_zap_sample.xml").read_bytes()).findings[0]
    assert (f.address, f.port, f.location) == ("mainsite.com", 443, "https://mainsite.com")
    assert "https://mainsite.com/dashboard" in f.description
    assert f.solution.startswith("Whenever a cookie") and "CWE-614" in f.references


def test_json_html_texts_become_plain():
    f = zap.parse((HERE / "basic-traditional-json.json").read_bytes()).findings[0]
    assert f.description.startswith("XSS Description") and "<p>" not in f.solution


def test_other_xml_refused():
    with pytest.raises(ParseError, match="OWASPZAPReport"):
        zap.parse(b"<nmaprun/>")
