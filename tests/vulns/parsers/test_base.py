"""The shared readers: size and depth limits, clear errors; each report claimed by one parser."""

from __future__ import annotations

import pytest

from citysoc.vulns.parsers import PARSERS, base, read_report
from citysoc.vulns.parsers.base import ParseError
from tests.vulns.support import FIXTURES


def test_oversized_file_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(base, "MAX_BYTES", 1024)
    data = (FIXTURES / "nmap" / "nmap_multiple_port.xml").read_bytes()
    with pytest.raises(ParseError, match="larger than"):
        read_report(data)
    with pytest.raises(ParseError, match="larger than"):
        read_report((FIXTURES / "grype" / "many_vulns4.json").read_bytes())


def test_deep_xml_stops_at_the_first_element_too_deep():
    data = b"<OWASPZAPReport>" + b"<a>" * 100_000
    with pytest.raises(ParseError, match="nested deeper than 64 at <a>"):
        read_report(data, tool="zap")


def test_deep_json_refused():
    with pytest.raises(ParseError, match="nested too deep"):
        read_report(b"[" * 200_000 + b"]" * 200_000, tool="grype")


def test_csv_not_utf8_names_the_byte():
    data = "Plugin ID,Host,Name\n1,10.0.0.1,Chứng chỉ\n".encode("cp1258", errors="replace")
    data = data.replace(b"Ch", b"Ch\xff")
    with pytest.raises(ParseError, match="not UTF-8"):
        read_report(data)


def test_a_long_cell_is_read_and_the_process_keeps_its_csv_cell_limit():
    """Reports may hold cells of megabytes; the csv module's limit is process-wide, and an
    inventory import later in the same worker must still stop at its own (Python's default)."""
    import csv

    before = csv.field_size_limit()
    long = "x" * (before + 10)
    rows = list(base.read_csv(f"host,note\r\nweb-1,{long}\r\n".encode(), ["host"]))
    assert rows == [(2, {"host": "web-1", "note": long})]
    assert csv.field_size_limit() == before


def test_records_in_equal_findings_plus_rejected():
    data = (FIXTURES / "nessus" / "nessus-template.csv").read_bytes().decode()
    bad = data.replace(",tcp,443,", ",tcp,https,", 1)
    report = read_report(bad.encode())
    assert len(report.findings) + len(report.rejected) == 5
    assert report.rejected[0].reason == "port 'https' is not a number"


NON_EMPTY = sorted(
    p for p in FIXTURES.rglob("*") if p.is_file() and p.read_bytes().strip() not in (b"", b"null")
)


@pytest.mark.parametrize("path", NON_EMPTY, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_fixture_is_claimed_by_exactly_its_own_parser(path):
    head = path.read_bytes()[:65536]
    claimed = [name for name, module in PARSERS.items() if module.sniff(head, "")]
    assert claimed == [path.parent.name]
