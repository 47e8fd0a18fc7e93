"""CSV firewall export reader (column mapping)."""

import pytest

from citysoc.engine.readers import base
from tests.engine import support


def test_it_reads_rows_by_header_names_and_counts_rejects(engine_fixture):
    rows, stats = support.read("csv", engine_fixture("csv/firewall_export.csv"))
    assert [(r["record"], r["src"], r["dst"]) for r in rows][:2] == [
        (2, "10.0.0.5", "198.51.100.7"),
        (3, "10.0.0.6", "203.0.113.9"),  # quoted field
    ]
    assert stats.records == 7  # header and blank line are not records
    assert stats.rejected == 2
    assert [(line, reason) for _, line, reason, _ in stats.rejects] == [
        (4, "wrong number of fields for the CSV header"),
        (5, "no source or destination address"),
    ]


def test_records_read_equals_accepted_plus_rejected(engine_fixture):
    rows, stats = support.read("csv", engine_fixture("csv/firewall_export.csv"))
    assert stats.records == len(rows) + stats.rejected


def test_an_explicit_mapping_by_name_or_number_wins(engine_fixture):
    rows, _ = support.read(
        "csv", engine_fixture("csv/firewall_export.csv"), columns={"src": "dst_ip", "dst": "2"}
    )
    assert (rows[0]["src"], rows[0]["dst"]) == ("198.51.100.7", "10.0.0.5")


def test_an_unknown_mapped_column_is_a_clear_error(engine_fixture):
    with pytest.raises(base.ReaderError, match="not in the CSV header"):
        support.read("csv", engine_fixture("csv/firewall_export.csv"), columns={"src": "nope"})


def test_matches_mapped_v6_and_domain_case_insensitively(engine_fixture):
    pairs = support.assert_paths_agree("csv", engine_fixture("csv/firewall_export.csv"))
    assert (2, "198.51.100.0/24") in pairs
    assert (3, "evil.example") in pairs and (3, "203.0.113.9") in pairs
    assert (7, "198.51.100.0/24") in pairs  # ::ffff:198.51.100.7 is the IPv4 address
    assert (8, "2001:db8::5") in pairs and (8, "evil.example") in pairs
    assert all(record != 9 for record, _ in pairs)  # 999.1.1.1: rejected, not matched


def test_an_empty_file_reads_nothing(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    rows, stats = support.read("csv", empty)
    assert rows == [] and stats.records == 0
