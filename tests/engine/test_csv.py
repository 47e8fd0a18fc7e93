"""CSV firewall export reader (column mapping)."""

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citysoc.engine.readers import base
from citysoc.engine.readers import csv as reader
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


def test_a_columns_option_that_is_not_a_mapping_is_a_clear_error(engine_fixture):
    with pytest.raises(base.ReaderError, match="'columns' option must map roles"):
        support.read("csv", engine_fixture("csv/firewall_export.csv"), columns="src=dst_ip")


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


def test_a_quote_left_open_rejects_its_line_only(tmp_path):
    path = tmp_path / "open-quote.csv"
    path.write_text('src,dst,note\n10.0.0.1,203.0.113.9,"not closed\n10.0.0.2,203.0.113.9,fine\n')
    for prefilter in (True, False):
        pairs, stats = support.hits("csv", path, support.indicator_set(), prefilter)
        assert pairs == [(3, "203.0.113.9")]
        assert (stats.records, stats.rejected) == (2, 1)
        assert stats.rejects[0][1:3] == (2, "a quoted field is not closed on its line")


FIELDS = st.sampled_from(["", " ", "10.0.0.1", "198.51.100.7", " 203.0.113.9 ", "x", "a b"])


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(st.lists(FIELDS, min_size=1, max_size=6), min_size=1, max_size=30))
def test_the_compiled_split_reads_unquoted_rows_as_arrow_does(rows):
    """Blocks without quotes are split by the compiled splitter, others by Arrow's parser:
    both must give the same columns and the same rejects."""
    state = base.ReaderState(options={})
    reader.is_header(pa.array(["time,src,dst,domain"]), state)
    # Blank lines never reach a reader (base.split_block_lines drops them).
    lines = pa.array([line for line in (",".join(r) for r in rows) if line.strip()], pa.string())
    fast = reader.parse_lines(lines, state)
    with_quote = reader.parse_lines(pa.concat_arrays([lines, pa.array(['"t",1.2.3.4,,'])]), state)
    assert fast.to_pylist() == with_quote.slice(0, len(lines)).to_pylist()
