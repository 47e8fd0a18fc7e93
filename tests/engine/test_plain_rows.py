"""Plain delimited lines that may hit skip the reader: the hits must be the same, field for
field (time, internal host, remote, direction), as when every line goes through it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citysoc.engine import kernel, pipeline
from citysoc.engine.readers import READERS, base
from tests.engine import support

pytestmark = pytest.mark.skipif(not kernel.available(), reason="the compiled kernels are not built")

INDICATORS = [*support.TEST_INDICATORS, "10.0.0.0/30", "c2.bad.example"]
ADDRESSES = st.one_of(
    st.sampled_from(
        [
            "198.51.100.7",
            "203.0.113.9",
            "10.0.0.2",
            "192.0.2.1",
            "198.051.100.7",  # leading zero: not an address, rejected
            " 198.51.100.7",
            "198.51.100.7 ",
            "2001:db8::5",
            "-",
            "(empty)",
            "",
            " ",
            "src_ip",
        ]
    ),
    st.integers(0, 2**32 - 1).map(lambda a: ".".join(str((a >> s) & 255) for s in (24, 16, 8, 0))),
)
OTHERS = st.sampled_from(["", "-", "(empty)", "x", " t ", "www.c2.bad.example", "ü.example"])


def full_hits(name: str, path, prefilter: bool) -> tuple[list[dict], int, int]:
    stats = base.ReadStats()
    iset = support.indicator_set(INDICATORS)
    table = pipeline.match_files(iset, [path], [READERS[name]], {}, stats, prefilter=prefilter)
    rows = sorted(table.to_pylist(), key=lambda r: (r["record"], r["indicator"]))
    return rows, stats.records, stats.rejected


def assert_same_hits(name: str, path) -> list[dict]:
    fast = full_hits(name, path, True)
    assert fast == full_hits(name, path, False)
    return fast[0]


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(OTHERS, ADDRESSES, ADDRESSES, OTHERS), min_size=1, max_size=40))
def test_zeek_plain_lines_give_the_same_hits(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("plain") / "dns.log"
    head = "#separator \\x09\n#fields\tts\tid.orig_h\tid.resp_h\tquery\tproto\n"
    body = "".join(f"{t}\t{a}\t{b}\t{q}\tudp\n" for t, a, b, q in rows)
    path.write_text(head + body, encoding="utf-8")
    assert_same_hits("zeek_tsv", path)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(OTHERS, ADDRESSES, ADDRESSES, OTHERS), min_size=1, max_size=40))
def test_csv_plain_lines_give_the_same_hits(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("plain") / "fw.csv"
    body = "".join(f"{t},{a},{b},{q},allow\n" for t, a, b, q in rows)
    path.write_text("time,src_ip,dst_ip,domain,action\n" + body, encoding="utf-8")
    assert_same_hits("csv", path)


def test_a_second_zeek_header_with_other_columns_is_followed(tmp_path):
    """Concatenated Zeek logs: the columns after a new `#fields` line are read by name."""
    path = tmp_path / "conn.log"
    path.write_text(
        "#fields\tts\tid.orig_h\tid.resp_h\n"
        "1.0\t10.1.1.1\t198.51.100.7\n"
        "#fields\tts\tid.resp_h\tid.orig_h\n"
        "2.0\t203.0.113.9\t10.1.1.2\n",
        encoding="utf-8",
    )
    hits = assert_same_hits("zeek_tsv", path)
    assert [(h["record"], h["internal_host"], h["remote"]) for h in hits] == [
        (2, "10.1.1.1", "198.51.100.7"),
        (4, "10.1.1.2", "203.0.113.9"),
    ]


def test_csv_lines_with_quotes_still_go_to_the_reader(tmp_path):
    path = tmp_path / "fw.csv"
    path.write_bytes(
        b"time,src_ip,dst_ip,note\n"
        b'"t1",10.1.1.1,198.51.100.7,"a,b"\n'
        b't2,10.1.1.2,198.51.100.8,"x""y"\n'
        b"t3,10.1.1.3,198.51.100.9,plain\n"
    )
    hits = assert_same_hits("csv", path)
    assert [h["record"] for h in hits] == [2, 3, 4]
    assert hits[0]["time"] == "t1"


def test_a_zeek_header_at_the_start_of_a_later_block_is_followed(tmp_path):
    path = tmp_path / "conn.log"
    first = "#fields\tts\tid.orig_h\tid.resp_h\n" + "1.0\t10.1.1.1\t198.51.100.7\n" * 50
    later = "#fields\tts\tid.resp_h\tid.orig_h\n" + "2.0\t203.0.113.9\t10.1.1.2\n" * 50
    path.write_text(first + later, encoding="utf-8")
    iset = support.indicator_set(INDICATORS)
    for prefilter in (True, False):
        table = pipeline.match_files(
            iset, [path], [READERS["zeek_tsv"]], {}, base.ReadStats(), prefilter=prefilter
        )
        stats = base.ReadStats()
        hits = [
            h
            for t in pipeline.match_file(
                iset,
                path,
                READERS["zeek_tsv"],
                stats=stats,
                prefilter=prefilter,
                block_size=len(first),
            )
            for h in t.to_pylist()
        ]
        assert {(h["internal_host"], h["direction"]) for h in hits} == {
            ("10.1.1.1", "outbound"),
            ("10.1.1.2", "outbound"),
        }
        assert table.num_rows == len(hits) == 100


def test_a_bare_cr_inside_a_csv_line_rejects_that_line_only(tmp_path):
    """Arrow's CSV parser ends a row at a bare CR: the line is rejected with its number
    instead of failing the run (it used to, depending on which lines shared a block)."""
    path = tmp_path / "fw.csv"
    path.write_bytes(
        b"time,src_ip,dst_ip,note\n"
        b"t1,10.1.1.1,198.51.100.7,x\ry\n"
        b'"t2",10.1.1.2,198.51.100.8,plain\n'
        b"t3,10.1.1.3,198.51.100.9,plain\n"
    )
    for prefilter in (True, False):
        stats = base.ReadStats()
        iset = support.indicator_set(INDICATORS)
        table = pipeline.match_files(iset, [path], [READERS["csv"]], {}, stats, prefilter=prefilter)
        assert table.column("record").to_pylist() == [3, 4]
        assert (stats.records, stats.rejected) == (3, 1)
        assert stats.rejects[0][1:3] == (
            2,
            "a carriage return (CR) inside the line; rows must end at a newline",
        )
