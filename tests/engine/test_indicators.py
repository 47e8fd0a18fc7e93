"""Indicator list files, metadata, the compiled-set cache, unit ranges and summaries."""

from __future__ import annotations

import time

import pyarrow as pa
import pytest

from citysoc.engine import IndicatorSet, load_indicator_files, match_ranges, match_table, summarize
from citysoc.engine.indicators import IndicatorError, read_indicator_file


def test_plain_list_with_comments_and_crlf(tmp_path):
    path = tmp_path / "drop.txt"
    path.write_bytes(
        b"; Spamhaus DROP\r\n192.0.2.0/24 ; SBL1\r\n\r\n# c\r\n2001:db8::/32\r\nbad/99\r\n"
    )
    iset = IndicatorSet.from_files([path])
    assert iset.table.column("key").to_pylist() == ["192.0.2.0/24", "2001:db8::/32"]
    assert [(r.line, r.reason) for r in iset.rejected] == [(6, "not a valid CIDR")]
    assert iset.rejected[0].source == str(path)


def test_csv_list_keeps_metadata_and_aliases(tmp_path):
    path = tmp_path / "feodo.csv"
    path.write_text(
        '# comment\n"first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"\n'
        '"2024-01-01 00:00:00","198.51.100.7","443","online","2024-04-01","QakBot"\n'
    )
    table = read_indicator_file(path)
    iset = IndicatorSet.from_arrow(table)
    row = iset.table.to_pylist()[0]
    assert (row["indicator"], row["family"], row["first_seen"], row["last_seen"]) == (
        "198.51.100.7",
        "QakBot",
        "2024-01-01 00:00:00",
        "2024-04-01",
    )


@pytest.mark.samples
def test_real_feodo_and_drop_lists(shared_sample):
    feodo = IndicatorSet.from_files([shared_sample("threat-intel/abusech-feodo/ipblocklist.csv")])
    assert len(feodo) == 28 and not feodo.rejected
    drop = IndicatorSet.from_files([shared_sample("threat-intel/spamhaus/wsock-trace/drop.txt")])
    assert len(drop) > 1000 and not drop.rejected
    v6 = IndicatorSet.from_files([shared_sample("threat-intel/spamhaus/wsock-trace/dropv6.txt")])
    assert len(v6) > 10 and not v6.rejected


def test_no_indicator_column_is_an_error():
    with pytest.raises(IndicatorError, match="no indicator column"):
        IndicatorSet.from_arrow(pa.table({"a": ["1.2.3.4"], "b": ["x"]}))


def test_save_and_load_round_trip(tmp_path):
    iset = IndicatorSet.from_arrow(
        pa.table(
            {
                "indicator": ["198.51.100.0/24", "2001:db8::/32", "evil.example"],
                "family": ["a", "b", "c"],
            }
        )
    )
    iset.save(tmp_path / "set.npz")
    start = time.perf_counter()
    again = IndicatorSet.load(tmp_path / "set.npz")
    assert time.perf_counter() - start < 1.0
    records = pa.table(
        {"src": ["198.51.100.1", "2001:db8::1", None], "domain": [None, None, "x.evil.example"]}
    )
    assert match_table(again, records).to_pylist() == match_table(iset, records).to_pylist()


def test_load_indicator_files_uses_the_cache(tmp_path):
    path = tmp_path / "l.txt"
    path.write_text("198.51.100.0/24\n")
    first = load_indicator_files([path], tmp_path / "cache")
    second = load_indicator_files([path], tmp_path / "cache")
    assert len(first) == len(second) == 1
    path.write_text("198.51.100.0/24\n203.0.113.9\n")  # content changed: rebuilt
    assert len(load_indicator_files([path], tmp_path / "cache")) == 2


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_a_damaged_cache_file_is_rebuilt(tmp_path, damage):
    path = tmp_path / "l.txt"
    path.write_text("198.51.100.0/24\n203.0.113.9\n")
    load_indicator_files([path], tmp_path / "cache")
    (cached,) = (tmp_path / "cache").iterdir()
    data = cached.read_bytes()
    cached.write_bytes(data[: len(data) // 2] if damage == "truncate" else b"x" * 100)
    again = load_indicator_files([path], tmp_path / "cache")
    assert match_table(again, pa.table({"src": ["203.0.113.9"]})).num_rows == 1
    assert cached.read_bytes() == data  # rewritten whole


def test_match_ranges_answers_which_units_are_listed():
    iset = IndicatorSet.from_arrow(
        pa.table(
            {
                "indicator": [
                    "198.51.100.7",
                    "198.51.100.0/25",
                    "10.0.0.0/8",
                    "evil.example",
                    "a.city.example",
                ]
            }
        )
    )
    got = match_ranges(
        iset,
        [
            "198.51.100.0/24",
            "198.51.100.7",
            "10.1.0.0-10.1.0.9",
            "192.0.2.0/24",
            "x.evil.example",
            "city.example",
            "bad range",
        ],
    )
    pairs = sorted(
        zip(
            got.column("row").to_pylist(),
            got.column("indicator").to_pylist(),
            got.column("relation").to_pylist(),
            strict=True,
        )
    )
    assert pairs == [
        (0, "198.51.100.0/25", "contains"),
        (0, "198.51.100.7", "contains"),
        (1, "198.51.100.0/25", "within"),
        (1, "198.51.100.7", "equal"),
        (2, "10.0.0.0/8", "within"),
        (4, "evil.example", "within"),
        (5, "a.city.example", "contains"),
    ]


def test_summary_per_internal_host():
    iset = IndicatorSet.from_arrow(
        pa.table({"indicator": ["198.51.100.0/24", "evil.example"], "family": ["Mirai", "Emotet"]})
    )
    records = pa.table(
        {
            "record": [1, 2, 3, 4],
            "time": [
                "2024-05-01T10:00:00",
                "2024-05-01T09:00:00",
                "2024-05-01T11:00:00",
                "2024-05-01T12:00:00",
            ],
            "src": ["10.0.0.5", "10.0.0.5", "198.51.100.9", "10.0.0.6"],
            "dst": ["198.51.100.1", "192.0.2.1", "10.0.0.5", "192.0.2.1"],
            "domain": [None, "c2.evil.example", None, None],
        }
    )
    hits = match_table(iset, records)
    assert hits.column("direction").to_pylist() == ["outbound", "outbound", "inbound"]
    summary = summarize(hits).to_pylist()
    assert len(summary) == 1
    host = summary[0]
    assert host["internal_host"] == "10.0.0.5"
    assert (host["first_seen"], host["last_seen"], host["hits"]) == (
        "2024-05-01T09:00:00",
        "2024-05-01T11:00:00",
        3,
    )
    assert sorted(host["families"]) == ["Emotet", "Mirai"]


def test_running_summary_equals_summary_of_all_hits():
    from citysoc.engine.match import HitSummary

    iset = IndicatorSet.from_arrow(
        pa.table({"indicator": ["198.51.100.0/24", "evil.example"], "family": ["Mirai", None]})
    )
    blocks = [
        pa.table(
            {
                "record": [1, 2],
                "time": ["t3", "t1"],
                "src": ["10.0.0.1", "10.0.0.2"],
                "dst": ["198.51.100.1", "198.51.100.2"],
                "domain": ["a.evil.example", None],
            }
        ),
        pa.table(
            {
                "record": [3, 4],
                "time": ["t2", "t9"],
                "src": ["10.0.0.1", None],
                "dst": ["198.51.100.3", "198.51.100.4"],
                "domain": [None, None],
            }
        ),
    ]
    tables = [match_table(iset, b) for b in blocks]
    running = HitSummary()
    for t in tables:
        running.add(t)
    whole = summarize(pa.concat_tables(tables))
    got = running.summary()
    assert got.column("internal_host").to_pylist() == whole.column("internal_host").to_pylist()
    for col in ("first_seen", "last_seen", "hits", "records"):
        assert got.column(col).to_pylist() == whole.column(col).to_pylist()
    assert [sorted(x) for x in got.column("indicators").to_pylist()] == [
        sorted(x) for x in whole.column("indicators").to_pylist()
    ]
    assert (running.hits, running.matches, running.hosts) == (5, 4, 2)


def test_counts_only_summary_agrees():
    from citysoc.engine.match import HitSummary

    iset = IndicatorSet.from_arrow(pa.table({"indicator": ["198.51.100.0/24"]}))
    records = pa.table(
        {
            "record": [1, 2, 3],
            "src": ["10.0.0.1", "10.0.0.1", None],
            "dst": ["198.51.100.1", "198.51.100.9", "198.51.100.2"],
        }
    )
    full, counts = HitSummary(), HitSummary(detail=False)
    for summary in (full, counts):
        summary.add(match_table(iset, records))
    assert (
        (counts.hits, counts.matches, counts.hosts, counts.indicators)
        == (full.hits, full.matches, full.hosts, full.indicators)
        == (3, 3, 1, 1)
    )
    with pytest.raises(ValueError, match="counts only"):
        counts.summary()
