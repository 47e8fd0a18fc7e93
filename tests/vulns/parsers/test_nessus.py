"""Nessus / Tenable: .nessus XML, WAS, three CSV flavours; plugin × host × port is one finding."""

from __future__ import annotations

import pytest

from citysoc.vulns.parsers import detect, nessus
from citysoc.vulns.parsers.base import ParseError
from tests.vulns.support import FIXTURES

HERE = FIXTURES / "nessus"


def _parse(name: str):
    return nessus.parse((HERE / name).read_bytes(), name)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("two_hosts.nessus", 3),  # the plugin listed twice for 192.0.2.22:22 is one finding
        ("nessus-template.csv", 5),
        ("nessus_many_vuln2-default.csv", 29),  # 30 rows, one repeated
        ("nessus_was_many_vuln.xml", 5),
        ("nessus_was_no_vuln.xml", 0),
        ("nessus_was_one_vuln.csv", 1),
        ("nessus_was_no_vuln.csv", 0),
        ("issue_11102.csv", 3),  # one plugin on 1.2.3.4:443, 1.2.3.4:8443, 2.3.4.5:443
    ],
)
def test_counts_and_detection(name, expected):
    data = (HERE / name).read_bytes()
    assert detect(data[:65536], "upload.bin") is nessus
    report = nessus.parse(data, name)
    assert len(report.findings) == expected
    assert report.rejected == ()


def test_nessus_record_carries_scores_vector_cve_and_texts():
    report = _parse("two_hosts.nessus")
    web = report.findings[0]
    assert (web.address, web.hostname, web.port, web.protocol) == (
        "192.0.2.21",
        "portal.ward.example",
        443,
        "tcp",
    )
    assert (web.severity, web.cvss, web.cves) == ("high", 7.5, ("CVE-2021-41773",))
    assert web.cvss_vector.startswith("CVSS:3.0/AV:N")
    assert "2.4.51" in web.solution and "Server header" in web.description
    assert web.references == ("https://httpd.apache.org/security/vulnerabilities_24.html",)
    info = report.findings[1]
    assert (info.severity, info.kind, info.port) == ("info", "info", None)
    assert report.hosts == ("192.0.2.21", "192.0.2.22")


def test_was_host_is_the_url_host_and_the_url_its_location():
    f = _parse("nessus_was_many_vuln.xml").findings[0]
    assert (f.address, f.location) == ("google.com", "http://google.com/")


def test_csv_row_without_plugin_is_rejected_with_its_line():
    data = (HERE / "nessus-template.csv").read_bytes().replace(b"\n67", b"\n", 1)
    lines = data.decode().splitlines()
    lines[1] = "," + lines[1].split(",", 1)[1]
    report = nessus.parse("\n".join(lines).encode(), "x.csv")
    assert len(report.rejected) == 1 and report.rejected[0].where == "line 2"
    assert len(report.findings) + len(report.rejected) == 5


def test_truncated_xml_names_its_line():
    data = (HERE / "two_hosts.nessus").read_bytes()
    with pytest.raises(ParseError, match=r"line \d+"):
        nessus.parse(data[: len(data) // 2])


def test_entity_bomb_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE NessusClientData_v2 [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><NessusClientData_v2>&b;'
        b"</NessusClientData_v2>"
    )
    with pytest.raises(ParseError, match="DTD or entities"):
        nessus.parse(bomb)


def test_unterminated_csv_quote_names_its_line():
    data = (HERE / "nessus_was_one_vuln.csv").read_bytes()
    with pytest.raises(ParseError, match=r"line \d+"):
        nessus.parse(data + b'\n98105,,5.0,,medium,example.org,http,,"never closed')
