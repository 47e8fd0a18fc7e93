"""The whole-array set build: the NumPy IPv4 parser and plain list files read by Arrow."""

from __future__ import annotations

import ipaddress
import random
import re

import pyarrow as pa
import pytest

from citysoc.engine import IndicatorSet, addr
from citysoc.engine.indicators import read_indicator_file

EDGES = [
    "1.2.3.4",
    "0.0.0.0",  # noqa: S104 - a string to parse, not an address to bind
    "255.255.255.255",
    "256.1.1.1",
    "01.2.3.4",
    "1.2.3.04",
    "000.1.1.1",
    "1.2.3",
    "1.2.3.4.5",
    "1..2.3",
    "1.2.3.",
    ".1.2.3",
    " 1.2.3.4",
    "1.2. 3.4",
    "a.b.c.d",
    "1.2.3.4/24",
    "",
    None,
    "1.2.3.٣",
    "12.34.56.789",
    "100.200.250.255",
]


def _expected(text: str | None) -> int | None:
    if text is None or not re.fullmatch(addr.IPV4_RE, text):
        return None
    return int(ipaddress.IPv4Address(text))


def test_the_numpy_ipv4_parser_follows_the_ipv4_rules():
    rng = random.Random(7)
    values = list(EDGES)
    for _ in range(5000):
        if rng.random() < 0.5:
            values.append(".".join(str(rng.randrange(0, 300)) for _ in range(4)))
        else:
            values.append("".join(rng.choice("0123456789. x") for _ in range(rng.randrange(17))))
    ok, out = addr.parse_ipv4_plain(pa.array(values, pa.string()))
    got = [int(v) if k else None for k, v in zip(ok.tolist(), out.tolist(), strict=True)]
    assert got == [_expected(v) for v in values]


def test_the_numpy_ipv4_parser_reads_a_slice():
    values = pa.array(["x", "10.0.0.1", "192.0.2.255", "bad", "8.8.8.8"], pa.string()).slice(1, 3)
    ok, out = addr.parse_ipv4_plain(values)
    assert ok.tolist() == [True, True, False]
    assert out[:2].tolist() == [0x0A000001, 0xC00002FF]


def test_plain_list_lines_comments_and_numbers(tmp_path):
    path = tmp_path / "list.txt"
    path.write_bytes(
        b"# header\n\n  198.51.100.7  \n203.0.113.0/24 ; SBL 1\nevil.example # seen\n"
        b"1.2.3.4#not-a-comment\n\xffbad\n"
    )
    table = read_indicator_file(path)
    assert table.column("indicator").to_pylist() == [
        "198.51.100.7",
        "203.0.113.0/24",
        "evil.example",
        "1.2.3.4#not-a-comment",
        "\ufffdbad",
    ]
    assert table.column("line").to_pylist() == [3, 4, 5, 6, 7]
    iset = IndicatorSet.from_arrow(table)
    assert [(r.line, r.text) for r in iset.rejected] == [
        (6, "1.2.3.4#not-a-comment"),
        (7, "\ufffdbad"),
    ]


def test_a_list_with_old_mac_line_ends(tmp_path):
    path = tmp_path / "mac.txt"
    path.write_bytes(b"198.51.100.7\r203.0.113.9\r")
    assert read_indicator_file(path).column("line").to_pylist() == [1, 2]


@pytest.mark.parametrize("n", [0, 1, 3])
def test_ipv6_entries_keep_their_canonical_key_and_kind(n):
    entries = ["2001:DB8::1", "2001:db8:0:0:0:0:0:2", "2001:db8::/32", "::ffff:192.0.2.1"][: n + 1]
    iset = IndicatorSet.from_arrow(pa.table({"indicator": entries}))
    keys = dict(zip(entries, iset.table.column("key").to_pylist(), strict=True))
    kinds = dict(zip(entries, iset.table.column("kind").to_pylist(), strict=True))
    expected_keys = {
        "2001:DB8::1": "2001:db8::1",
        "2001:db8:0:0:0:0:0:2": "2001:db8::2",
        "2001:db8::/32": "2001:db8::/32",
        "::ffff:192.0.2.1": "192.0.2.1",
    }
    expected_kinds = {
        "2001:DB8::1": "ipv6",
        "2001:db8:0:0:0:0:0:2": "ipv6",
        "2001:db8::/32": "cidr",
        "::ffff:192.0.2.1": "ipv4",
    }
    assert keys == {e: expected_keys[e] for e in entries}
    assert kinds == {e: expected_kinds[e] for e in entries}


def test_domain_positions_find_whole_names_only():
    listed = ["evil.example", "a.b.example.net", "x.y", "evil.example", "c2-1.bad-example.net"]
    iset = IndicatorSet.from_arrow(pa.table({"indicator": listed}))
    rng = random.Random(3)
    names = [None, "", "EVIL.example", "zz.evil.example", "a.b.example.ne", "a.b.example.nett"]
    names += [rng.choice(listed) for _ in range(50)]
    names += [
        "".join(rng.choice("abcxy.-") for _ in range(rng.randrange(1, 20))) for _ in range(200)
    ]
    index = iset.domain_index()
    expected = [index.get(n, -1) if n else -1 for n in names]
    assert iset.domain_positions(pa.array(names, pa.string())).tolist() == expected
