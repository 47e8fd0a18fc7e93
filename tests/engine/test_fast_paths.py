"""The kernels' fast paths against the slow ones they replace: the dotted quad read 16 bytes
at a time against the byte loop and the address rules, the segments `plain_hits` finds
against the exact lookup, and whole runs with nested lists (several indicators per address)
with the plain-line path against the reader path."""

from __future__ import annotations

import ipaddress
import re

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from citysoc.engine import addr, kernel, pipeline
from citysoc.engine.readers import READERS, base
from tests.engine import support

pytestmark = pytest.mark.skipif(not kernel.available(), reason="the compiled kernels are not built")

INDICATORS = ["198.51.100.0/24", "198.51.100.0/28", "198.51.100.7", "203.0.113.9", "10.0.0.0/30"]
LISTED = [ipaddress.ip_network(n) for n in INDICATORS]
FIELDS = st.one_of(
    st.sampled_from(["198.51.100.7", "203.0.113.9", "203.0.113.10", "10.0.0.1", "10.0.0.9"]),
    st.integers(0, 2**32 - 1).map(lambda a: str(ipaddress.IPv4Address(a))),
    st.lists(st.integers(0, 1200).map(str), min_size=2, max_size=5).map(".".join),
    st.lists(st.integers(0, 300).map(str), min_size=4, max_size=4).map(".".join),
    st.text(alphabet="0123456789.", max_size=20),
    st.text(alphabet="0123456789.-x: /", max_size=20),
)


def expected_keep(field: str) -> bool:
    """The prefilter's rule for a line whose only address field is `field`: skipped only
    when it is a dotted quad by the readers' rule and no indicator covers it."""
    if not re.fullmatch(addr.IPV4_RE, field):
        return True
    address = ipaddress.ip_address(field)
    return any(address in net for net in LISTED)


def kept(block: bytes, iset) -> list[int]:
    shape = kernel.Shape(sep=ord(","), n_sep=2, f1=1)
    _, _, lines, _, _ = kernel.prefilter(block, iset, False, False, shape, threads=1)
    return lines.tolist()


@settings(max_examples=300, deadline=None)
@given(field=FIELDS)
@example(field="255.255.255.255")
@example(field="1.2.3.4")
@example(field="01.2.3.4")
@example(field="1.2.3.04")
@example(field="1.2.3.256")
@example(field="265.205.119.7")  # an octet over 255 in each place
@example(field="1.330.7.94")
@example(field="8.188.266.197")
@example(field="5.8.194.354")
@example(field="1.02.3.4")  # a leading zero in each place
@example(field="1.2.003.4")
@example(field="1.2.3.4.")
@example(field="1234567890123456")
@example(field="1.2.3/4")
def test_the_dotted_quad_read_16_bytes_at_a_time_matches_the_byte_loop(field):
    """The same line read with 24 bytes to spare (the 16-byte path) and as the last line of
    the block (the byte loop) is kept or skipped alike, and as the address rules say."""
    iset = support.indicator_set(INDICATORS)
    line = f"0,{field},tcp\n".encode()
    padded = line + b"#" + b"." * 40 + b"\n"  # a header line: always kept, line 1
    assert kept(padded, iset)[:1] == ([0] if expected_keep(field) else [1])
    assert kept(line, iset) == ([0] if expected_keep(field) else [])


def kept_json(block: bytes, iset) -> list[int]:
    _, _, lines, _, _ = kernel.prefilter(block, iset, False, False, kernel.Shape(json=True), 1)
    return lines.tolist()


@settings(max_examples=300, deadline=None)
@given(field=FIELDS)
@example(field="1.2.3.256")
@example(field="01.2.3.4")
@example(field="198.51.100.7")
@example(field="")
def test_a_json_address_read_16_bytes_at_a_time_matches_the_byte_loop(field):
    """An address value with 24 bytes of its line after it (the 16-byte path) and the same
    value near the end of its line (the byte loop) keep or skip their line alike."""
    iset = support.indicator_set(INDICATORS)
    long = f'{{"src_ip":"{field}","dest_ip":"192.0.2.1","proto":"TCP","app_proto":"tls"}}\n'
    short = f'{{"dest_ip":"192.0.2.1","src_ip":"{field}"}}\n'
    # An empty or "-" value is unset: the other, unlisted address decides (skipped).
    keep = field not in ("", "-") and expected_keep(field)
    for line in (long, short):
        assert kept_json(line.encode(), iset) == ([0] if keep else [])


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.tuples(FIELDS, FIELDS), min_size=1, max_size=30))
def test_plain_hits_finds_the_segments_of_the_exact_lookup(rows):
    iset = support.indicator_set(INDICATORS)
    block = "".join(f"t{k},{a},{b},x\n" for k, (a, b) in enumerate(rows)).encode()
    starts = np.array([0, *np.flatnonzero(np.frombuffer(block, np.uint8) == 10)[:-1] + 1])
    ends = np.flatnonzero(np.frombuffer(block, np.uint8) == 10)
    wanted, roles = [0, 1, 2, -1], [False, True, True, False]
    plain, fs, fe, segs = kernel.plain_hits(block, starts, ends, ",", 4, wanted, roles, False, iset)
    plain_before, fs_before, fe_before = kernel.plain_rows(
        block, starts, ends, ",", 4, wanted, roles, False
    )
    assert plain.tolist() == plain_before.tolist()
    assert (fs[:, plain] == fs_before[:, plain]).all()
    assert (fe[:, plain] == fe_before[:, plain]).all()
    offsets, ids = iset.v4.offsets, iset.v4.ids
    for k in np.flatnonzero(plain).tolist():
        for role, text in ((1, rows[k][0]), (2, rows[k][1])):
            seg = int(segs[role, k])
            found = set(ids[offsets[seg] : offsets[seg + 1]].tolist()) if seg >= 0 else set()
            exact = set()
            if re.fullmatch(addr.IPV4_RE, text):
                value = np.array([int(ipaddress.ip_address(text))], np.uint64)
                _, exact_ids = iset.v4.lookup(value)
                exact = set(exact_ids.tolist())
            assert found == exact
    assert (segs[[0, 3]] == -1).all()


def hits_and_counts(path, prefilter: bool, name: str = "csv"):
    stats = base.ReadStats()
    iset = support.indicator_set(INDICATORS)
    table = pipeline.match_files(iset, [path], [READERS[name]], {}, stats, prefilter=prefilter)
    return table.to_pylist(), stats.records, stats.rejected


@settings(max_examples=80, deadline=None)
@given(
    rows=st.lists(st.tuples(FIELDS, FIELDS, st.sampled_from(["", "-", "x"])), max_size=40),
    zeek=st.booleans(),
)
def test_plain_lines_with_nested_indicators_give_the_hits_of_the_reader(
    tmp_path_factory, rows, zeek
):
    """Every indicator covering an address is listed, in the same order, with the same
    direction when both addresses are listed, and the counts agree."""
    folder = tmp_path_factory.mktemp("nested")
    if zeek:
        path = folder / "conn.log"
        head = "#separator \\x09\n#fields\tts\tid.orig_h\tid.resp_h\tproto\n"
        body = "".join(f"{t or '-'}\t{a or '-'}\t{b or '-'}\ttcp\n" for a, b, t in rows)
    else:
        path = folder / "fw.csv"
        head = "time,src,dst,proto\n"
        body = "".join(f"{t},{a},{b},tcp\n" for a, b, t in rows)
    path.write_text(head + body, encoding="utf-8")
    name = "zeek_tsv" if zeek else "csv"
    fast = hits_and_counts(path, True, name)
    assert fast == hits_and_counts(path, False, name)
