"""masscan JSON: one informational open-port finding per host and port."""

from __future__ import annotations

import pytest

from citysoc.vulns.parsers import detect, masscan
from citysoc.vulns.parsers.base import ParseError
from tests.vulns.support import FIXTURES

HERE = FIXTURES / "masscan"


def test_one_port():
    data = (HERE / "masscan_one_vuln.json").read_bytes()
    assert detect(data, "upload.bin") is masscan
    (f,) = masscan.parse(data).findings
    assert (f.address, f.port, f.protocol, f.severity, f.kind) == (
        "172.29.0.3",
        80,
        "tcp",
        "info",
        "open-port",
    )


def test_trailing_comma_of_older_masscan_accepted():
    report = masscan.parse((HERE / "trailing_comma.json").read_bytes())
    assert sorted((f.address, f.port) for f in report.findings) == [
        ("192.0.2.30", 22),
        ("192.0.2.30", 3389),
        ("192.0.2.31", 161),
    ]
    assert report.hosts == ("192.0.2.30", "192.0.2.31")


def test_empty_file_is_an_empty_report():
    assert masscan.parse((HERE / "masscan_no_vuln.json").read_bytes()).findings == ()


def test_not_a_list_refused():
    with pytest.raises(ParseError, match="not a list"):
        masscan.parse(b'{"ip": "1.2.3.4"}')
