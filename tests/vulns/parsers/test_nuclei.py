"""Nuclei JSONL and JSON array: template (× matcher) × matched target is one finding."""

from __future__ import annotations

import pytest

from citysoc.vulns.parsers import detect, nuclei
from citysoc.vulns.parsers.base import ParseError
from tests.vulns.support import FIXTURES

HERE = FIXTURES / "nuclei"


@pytest.mark.parametrize(
    ("name", "expected", "first"),
    [
        ("issue_9201.json", 1, "info"),
        ("many_findings.json", 18, "low"),
        ("many_findings_new.json", 2, "medium"),
        ("multiple_v3.json", 5, "info"),  # 6 items, one repeated
        ("invalid_cwe.json", 1, "info"),
    ],
)
def test_counts_and_detection(name, expected, first):
    data = (HERE / name).read_bytes()
    assert detect(data[:65536], "upload.bin") is nuclei
    report = nuclei.parse(data)
    assert len(report.findings) == expected and report.rejected == ()
    assert report.findings[0].severity == first


def test_empty_file_is_an_empty_report():
    assert nuclei.parse((HERE / "empty.jsonl").read_bytes()).findings == ()


def test_same_template_on_two_ports_of_one_host_stays_two_findings():
    report = nuclei.parse((HERE / "many_findings.json").read_bytes())
    bootstrap = [f for f in report.findings if f.rule == "tech-detect:bootstrap"]
    assert sorted((f.address, f.port) for f in bootstrap)[:2] == [
        ("127.0.0.1", 8080),
        ("127.0.0.1", 9090),
    ]


def test_network_finding_has_host_port_and_references():
    f = nuclei.parse((HERE / "many_findings.json").read_bytes()).findings[0]
    assert (f.address, f.port, f.location) == ("178.21.15.56", 22, "nuclei-example.com:22")
    assert "http://seclists.org/fulldisclosure/2016/Jul/51" in f.references


def test_bad_line_named():
    data = (HERE / "many_findings.json").read_bytes()
    with pytest.raises(ParseError, match="line 3"):
        nuclei.parse(b"\n".join(data.splitlines()[:2] + [b'{"templateID": "x", ']))
