"""The compiled prefilter never drops a line the exact path would match."""

from __future__ import annotations

import ipaddress
import os
import subprocess
import sys

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from citysoc.engine import IndicatorSet, kernel
from citysoc.engine.readers import base
from tests.engine import support

pytestmark = pytest.mark.skipif(not kernel.available(), reason="the compiled kernels are not built")

TOKENS = st.one_of(
    st.integers(0, 2**32 - 1).map(lambda a: str(ipaddress.IPv4Address(a))),
    st.sampled_from(
        [
            "198.51.100.7",
            "198.51.100.255",
            "203.0.113.9",
            "203.0.113.10",
            "2001:db8::5",
            "2001:db8:ffff::1",
            "::ffff:198.51.100.3",
            "c2.EVIL.example.",
            "evil.example:443",
            "notevil.example",
            "bücher.example",
            "xn--bcher-kva.example",
            "1.2.3.4:80",
            "10.0.0.1-198.51.100.8",
            "http://evil.example/x",
            "-",
            "",
            "a_b",
            "12:00:01",
        ]
    ),
)
INDICATORS = [*support.TEST_INDICATORS, "bücher.example", "10.0.0.0/30"]


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(TOKENS, TOKENS, TOKENS), min_size=1, max_size=40))
def test_prefilter_keeps_every_matching_line(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("pf") / "gen.csv"
    lines = ["time,src,dst,domain"] + [f"t{k},{a},{b},{c}" for k, (a, b, c) in enumerate(rows)]
    path.write_text("\r\n".join(lines) + "\n", encoding="utf-8")
    support.assert_paths_agree("csv", path, support.indicator_set(INDICATORS))


TAILS = st.lists(
    st.sampled_from(["", "x", ",", '"', '"a,b"', "long-field-without-separators", ",,,,,,,,,"]),
    max_size=6,
).map("".join)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(TOKENS, TOKENS, TAILS), min_size=1, max_size=40))
def test_fields_after_the_address_fields_are_counted_exactly(tmp_path_factory, rows):
    """Past the last field it reads, the kernel only counts separators, eight bytes at a
    time: a wrong field count or a quote there must still reach the reader."""
    path = tmp_path_factory.mktemp("pf") / "tail.csv"
    lines = ["src,dst,note,more"] + [f"{a},{b},n{k},{t}" for k, (a, b, t) in enumerate(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    support.assert_paths_agree("csv", path, support.indicator_set(INDICATORS))


# Address fields the delimited kernel parses while it scans them: runs of digits and dots,
# well-formed or not (too many or too few octets, an octet over 255, four digits, leading
# zeros, empty octets), next to the listed and unlisted ones.
DOTTED = st.one_of(
    st.sampled_from(["198.51.100.7", "203.0.113.9", "203.0.113.10", "10.0.0.1", "10.0.0.9"]),
    st.lists(st.integers(0, 999).map(str), min_size=3, max_size=5).map(".".join),
    st.text(alphabet="0123456789.", max_size=18),
    st.sampled_from(["198.51.100.07", "0198.51.100.7", "198.51.100.7.", ".198.51.100.7"]),
)


MALFORMED = [
    ("1.2.300.4", "10.0.0.1", False),
    ("10.0.0.1", "1234.1.1.1", True),
    ("1.2.3.4.5", "10.0.0.1", False),
    ("1..2.3", "10.0.0.1", False),
    ("01.2.3.4", "10.0.0.1", False),
    ("203.0.113.10", "00.0.0.0", False),
    ("01.2.3.4", "203.0.113.10", True),
    ("10.0.0.1", "", True),
    ("198.51.100.7", "10.0.0.1", False),
]


@settings(max_examples=80, deadline=None)
@given(
    rows=st.lists(st.tuples(DOTTED, DOTTED, st.booleans()), min_size=1, max_size=40),
    zeek=st.booleans(),
)
@example(rows=MALFORMED, zeek=False)
@example(rows=MALFORMED, zeek=True)
def test_address_fields_read_while_scanned_keep_every_hit_and_reject(tmp_path_factory, rows, zeek):
    """Malformed dotted fields are rejected with the same count as the exact path, listed
    ones are matched, on CSV and Zeek TSV, with and without CRLF line ends."""
    folder = tmp_path_factory.mktemp("dotted")
    end = ["\n", "\r\n"]
    if zeek:
        path = folder / "conn.log"
        head = "#separator \\x09\n#fields\tts\tid.orig_h\tid.resp_h\tproto\n"
        body = "".join(f"{k}\t{a}\t{b}\ttcp{end[c]}" for k, (a, b, c) in enumerate(rows))
        name = "zeek_tsv"
    else:
        path = folder / "fw.csv"
        head = "time,src,dst,proto\n"
        body = "".join(f"{k},{a},{b},tcp{end[c]}" for k, (a, b, c) in enumerate(rows))
        name = "csv"
    path.write_text(head + body, encoding="utf-8")
    support.assert_paths_agree(name, path, support.indicator_set(INDICATORS))


def test_prefilter_skips_lines_outside_the_bitmap():
    iset = support.indicator_set(["198.51.100.0/24"])
    block = b"a,10.0.0.1,10.0.0.2\nb,10.0.0.3,198.51.100.4\n\n#c\n"
    starts, ends, idx, skipped, n_lines = kernel.prefilter(block, iset, False, False)
    assert n_lines == 4
    assert idx.tolist() == [1, 3]  # the hit and the header-like '#' line
    assert skipped == 1


def test_large_block_is_split_across_threads(tmp_path):
    rng = np.random.default_rng(3)
    addrs = rng.integers(0, 2**32, 200_000)
    lines = "\n".join(
        f"x,{ipaddress.IPv4Address(int(a))},10.0.0.{k % 250}" for k, a in enumerate(addrs)
    )
    path = tmp_path / "big.csv"
    path.write_text("time,src,dst\n" + lines + "\n")
    iset = IndicatorSet.from_arrow(
        pa.table({"indicator": [str(ipaddress.IPv4Address(int(a))) for a in addrs[::1000]]})
    )
    pairs = support.assert_paths_agree("csv", path, iset)
    assert len(pairs) == 200


def test_fallback_without_the_kernels_gives_the_same_answer(engine_fixture):
    path = engine_fixture("suricata_eve/eve.json")
    code = (
        "import sys; from citysoc.engine import kernel; assert not kernel.available();"
        "from tests.engine import support;"
        "print(support.hits('suricata_eve', sys.argv[1], support.indicator_set(), True)[0])"
    )
    env = {**os.environ, "CITYSOC_ENGINE_NO_KERNEL": "1", "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code, str(path)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=support.REPO,
    )
    expected = support.hits("suricata_eve", path, support.indicator_set(), True)[0]
    assert out.stdout.strip() == str(expected)


def test_block_boundaries_do_not_lose_lines(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        "time,src,dst\n"
        + "".join(f"t,10.0.0.{k % 200},198.51.100.{k % 200}\n" for k in range(5000))
    )
    stats = base.ReadStats()
    from citysoc.engine import pipeline
    from citysoc.engine.readers import READERS

    hits = pipeline.match_files(support.indicator_set(), [path], [READERS["csv"]], {}, stats)
    small = base.ReadStats()
    tables = list(
        pipeline.match_file(
            support.indicator_set(), path, READERS["csv"], {}, small, block_size=1000
        )
    )
    assert sum(t.num_rows for t in tables) == hits.num_rows == 5000
    assert small.records == stats.records == 5000
