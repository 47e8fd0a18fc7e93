"""OpenVAS / Greenbone: XML and CSV; NVT × host × port is one finding; Log is informational."""

from __future__ import annotations

import pytest

from citysoc.vulns.parsers import detect, openvas
from citysoc.vulns.parsers.base import ParseError
from tests.vulns.support import FIXTURES

HERE = FIXTURES / "openvas"


@pytest.mark.parametrize(
    ("name", "expected", "severities"),
    [
        ("many_vuln_trimmed.xml", 3, None),
        ("no_vuln.xml", 0, None),
        ("no_vuln.csv", 0, None),
        ("many_vuln.csv", 4, ["low", "medium", "medium", "high"]),
        ("report_combine_v2.csv", 1, ["low"]),  # two rows of one NVT on one port: one finding
        ("report_detail_v2.csv", 1, ["high"]),
        ("report_using_openVAS.csv", 13, None),
    ],
)
def test_counts_severities_and_detection(name, expected, severities):
    data = (HERE / name).read_bytes()
    assert detect(data[:65536], "upload.bin") is openvas
    report = openvas.parse(data, name)
    assert len(report.findings) == expected
    assert report.rejected == ()
    if severities:
        assert [f.severity for f in report.findings] == severities


def test_xml_record_has_host_port_nvt_cve_and_solution():
    f = openvas.parse((HERE / "many_vuln_trimmed.xml").read_bytes()).findings[0]
    assert (f.address, f.hostname, f.port, f.protocol) == (
        "192.168.1.1001",
        "b6b9f466d63",
        512,
        "tcp",
    )
    assert f.rule == "nvt/1.3.6.1.4.1.25623.1.0.100111"
    assert f.cves == ("CVE-1999-0618",) and f.cvss == 10.0 and "SSH" in f.solution


def test_log_results_are_informational_not_vulnerabilities():
    report = openvas.parse((HERE / "report_using_openVAS.csv").read_bytes())
    logs = [f for f in report.findings if f.severity == "info"]
    assert len(logs) == 12 and {f.kind for f in logs} == {"info"}


def test_csv_many_cves_kept():
    f = openvas.parse((HERE / "report_detail_v2.csv").read_bytes()).findings[0]
    assert len(f.cves) > 50 and all(c.startswith("CVE-") for c in f.cves)


def test_csv_without_its_columns_refused():
    with pytest.raises(ParseError, match="NVT OID"):
        openvas.parse(b"IP,Hostname\n10.0.0.1,a\n")


def test_truncated_xml_names_its_line():
    data = (HERE / "many_vuln_trimmed.xml").read_bytes()
    with pytest.raises(ParseError, match=r"line \d+"):
        openvas.parse(data[: len(data) // 2])
