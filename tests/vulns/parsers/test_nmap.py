"""Nmap XML: one finding per open port per host, one per vulners CVE; hostile XML refused."""

from __future__ import annotations

import pytest

from citysoc.vulns.parsers import detect, nmap
from citysoc.vulns.parsers.base import MAX_DEPTH, ParseError
from tests.vulns.support import FIXTURES, shared_sample

HERE = FIXTURES / "nmap"


def _parse(name: str):
    return nmap.parse((HERE / name).read_bytes(), name)


@pytest.mark.parametrize(
    ("name", "expected"),
    # DefectDojo expects 0, 1, 13 and 2; issue12411 has ports 80 and 443 open on two hosts,
    # which DefectDojo merges by port; we keep one finding per host and port (4).
    [
        ("nmap_0port.xml", 0),
        ("nmap_1port.xml", 1),
        ("nmap_multiple_port.xml", 13),
        ("issue12411.xml", 4),
    ],
)
def test_sample_counts(name, expected):
    report = _parse(name)
    assert len(report.findings) == expected
    assert report.rejected == ()
    assert all(f.severity == "info" and f.port for f in report.findings)


def test_issue12411_keeps_each_host_apart():
    report = _parse("issue12411.xml")
    assert sorted((f.address, f.port) for f in report.findings) == [
        ("172.217.18.238", 80),
        ("172.217.18.238", 443),
        ("54.239.28.85", 80),
        ("54.239.28.85", 443),
    ]
    assert sorted(report.hosts) == ["172.217.18.238", "54.239.28.85"]


def test_vulners_cves_become_findings_with_severity_from_cvss():
    report = _parse("vulners.xml")
    by_title = {f.title: f for f in report.findings}
    assert sorted(by_title) == [
        "CVE-2021-41617",
        "CVE-2023-38408",
        "Open port 22/tcp ssh OpenSSH 7.4",
    ]
    assert by_title["CVE-2023-38408"].severity == "critical"
    assert by_title["CVE-2021-41617"].severity == "high"
    assert by_title["CVE-2023-38408"].cves == ("CVE-2023-38408",)
    assert by_title["CVE-2023-38408"].hostname == "web.example"
    # the down host is not a scanned host: a re-scan must not close its findings
    assert report.hosts == ("192.0.2.10",)


def test_detected_from_content():
    assert detect((HERE / "nmap_1port.xml").read_bytes()[:65536], "x.bin") is nmap


def test_entity_bomb_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE nmaprun [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><nmaprun>&b;</nmaprun>'
    )
    with pytest.raises(ParseError, match="DTD or entities"):
        nmap.parse(bomb)


def test_truncated_file_names_its_line():
    data = (HERE / "nmap_multiple_port.xml").read_bytes()
    with pytest.raises(ParseError, match=r"line \d+"):
        nmap.parse(data[: len(data) // 2])


def test_too_deep_refused():
    data = b"<nmaprun>" + b"<a>" * (MAX_DEPTH + 1) + b"</a>" * (MAX_DEPTH + 1) + b"</nmaprun>"
    with pytest.raises(ParseError, match="nested deeper"):
        nmap.parse(data)


def test_other_xml_refused():
    with pytest.raises(ParseError, match="not <nmaprun>"):
        nmap.parse(b"<report/>")


@pytest.mark.parametrize(
    ("name", "open_ports"),
    [
        ("full_sudo6.xml", 12),
        ("dionaea_scan.xml", 21),
        ("2_hosts_version.xml", 8),
        ("1_os_banner_scripts.xml", 8),
    ],
)
@pytest.mark.samples
def test_python_libnmap_samples_count_open_ports(name, open_ports):
    # dionaea_scan.xml: 16 open ports + 5 CVEs from its one vulners script.
    data = shared_sample(f"nmap/python-libnmap/{name}").read_bytes()
    assert len(nmap.parse(data, name).findings) == open_ports
