"""The compiled set build (`kernel.parse_v4_entries`, `kernel.v4_index`) gives exactly the
arrays of the Arrow/NumPy path it replaces, on generated lists: overlapping and nested
CIDRs from /0 to /32, duplicates, ranges, host bits set, IPv6 and its CIDRs, domains and
bad entries."""

from __future__ import annotations

import ipaddress
import random

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citysoc.engine import IndicatorSet, kernel, match_ips
from citysoc.engine.entries import plain_v4_entries
from citysoc.engine.segments import build_segments, v4_bitmap

pytestmark = pytest.mark.skipif(not kernel.available(), reason="the compiled kernels are not built")

EDGE_ENTRIES = [
    "0.0.0.0",  # noqa: S104 - a string to parse, not an address to bind
    "255.255.255.255",
    "0.0.0.0/0",
    "255.255.255.255/32",
    "255.255.255.254/31",
    "10.0.0.0/8",
    "10.0.0.0/08",
    "10.0.0.0/33",
    "10.0.0.0/",
    "/24",
    "10.0.0.1/24",
    "01.2.3.4",
    "1.2.3.4/24/1",
    "1.2.3.4 ",
    "1.2.3.256",
    "1.2.3.4-1.2.3.9",
    "::ffff:192.0.2.1",
    "::ffff:192.0.2.0/120",
    "2001:db8::/32",
    "2001:db8::1",
    "::/0",
    "::",
    "::1",
    "1::",
    "2001:DB8::/32",
    "2001:DB8:0:0:1:0:0:1",
    "2001:db8::/064",
    "2001:db8::/0000128",
    "2001:db8::/129",
    "2001:db8::/",
    "2001:db8::1/127",
    "2001:db8::/3\u0662",
    "2001:db8::1%eth0",
    "[2001:db8::1]",
    "2001:db8::1/32/1",
    "::ffff:0:0/96",
    "::ffff:1.2.3.4/128",
    "::1.2.3.4",
    "64:ff9b::192.0.2.1",
    "http://[2001:db8::1]/x",
    "2001:db8::g",
    "2001:db8:" + "0:" * 10 + "1",
    "evil.example",
    "hxxp://c2[.]bad.example/x",
    "bare",
    "",
]


def _v4(rng: random.Random) -> str:
    # a few small pools so that duplicates, shared starts and nesting are common
    pool = rng.choice([0, 1, 2])
    if pool == 0:
        return f"10.0.{rng.randrange(4)}.{rng.randrange(256)}"
    if pool == 1:
        return f"10.{rng.randrange(4)}.0.{rng.randrange(4)}"
    return str(ipaddress.IPv4Address(rng.getrandbits(32)))


def _entry(rng: random.Random) -> str:
    kind = rng.randrange(10)
    if kind < 4:
        return _v4(rng)
    if kind < 7:
        plen = rng.randrange(33)
        net = ipaddress.ip_network(f"{_v4(rng)}/{plen}", strict=False)
        # mostly aligned; sometimes with host bits set (rejected with "did you mean")
        return str(net) if rng.random() < 0.9 else f"{_v4(rng)}/{plen}"
    if kind == 7:
        a, b = sorted(int(ipaddress.IPv4Address(_v4(rng))) for _ in range(2))
        return f"{ipaddress.IPv4Address(a)}-{ipaddress.IPv4Address(b)}"
    if kind == 8:
        value = (0x20010DB8 << 96) | rng.getrandbits(16) << rng.choice([0, 64])
        plen = rng.choice([128, 128, 124, 112, 64, 32])
        net = ipaddress.ip_network((value, plen), strict=False)
        text = net.network_address.exploded if rng.random() < 0.3 else str(net.network_address)
        text = text.upper() if rng.random() < 0.3 else text
        if plen == 128:
            return text
        return f"{text}/{plen}" if rng.random() < 0.9 else f"{ipaddress.IPv6Address(value)}/{plen}"
    return rng.choice(EDGE_ENTRIES)


def _arrays(iset: IndicatorSet) -> dict[str, bytes]:
    return {
        name: np.ascontiguousarray(array).tobytes()
        for name, array in iset._arrays().items()
        if not name.startswith("kernel_")
    }


def both_builds(entries: list[str | None], monkeypatch) -> tuple[IndicatorSet, IndicatorSet]:
    table = pa.table({"indicator": pa.array(entries, pa.string())})
    compiled = IndicatorSet.from_arrow(table)
    with monkeypatch.context() as m:
        m.setattr(kernel, "available", lambda: False)
        plain = IndicatorSet.from_arrow(table)
        plain_arrays = _arrays(plain)
    assert _arrays(compiled) == plain_arrays
    assert compiled.rejected == plain.rejected
    return compiled, plain


def _assert_same_tables(compiled: IndicatorSet, plain: IndicatorSet) -> None:
    """The prefilter tables built in the compiled pass equal those made from the arrays."""
    assert compiled._kernel_v4 is not None
    plain._kernel_v4 = None
    for got, expected in zip(compiled._kernel_v4, kernel.v4_tables(plain), strict=True):
        assert got.dtype == expected.dtype
        assert got.tobytes() == expected.tobytes()


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(0, 300))
def test_the_compiled_build_gives_the_same_set(seed, size, monkeypatch):
    rng = random.Random(seed)
    entries: list[str | None] = [_entry(rng) for _ in range(size)]
    entries += rng.sample(entries, min(len(entries), 20))  # duplicates
    if entries and rng.random() < 0.2:
        entries[rng.randrange(len(entries))] = None
    compiled, plain = both_builds(entries, monkeypatch)
    _assert_same_tables(compiled, plain)
    probes = [_v4(rng) for _ in range(200)] + [EDGE_ENTRIES[0], EDGE_ENTRIES[1], "2001:db8::1"]
    got = match_ips(compiled, probes)
    with monkeypatch.context() as m:
        m.setattr(kernel, "available", lambda: False)
        expected = match_ips(plain, probes)
    assert got.equals(expected)


def test_a_large_list_with_every_kind(monkeypatch):
    rng = random.Random(21)
    entries: list[str | None] = [_entry(rng) for _ in range(500)]  # a few /0../8 among them
    entries += [str(ipaddress.IPv4Address(rng.getrandbits(32))) for _ in range(50_000)]
    entries += [
        str(ipaddress.ip_network((rng.getrandbits(32), plen), strict=False))
        for plen in (rng.randrange(12, 33) for _ in range(5_000))
    ]
    entries += EDGE_ENTRIES
    compiled, plain = both_builds(entries, monkeypatch)
    _assert_same_tables(compiled, plain)
    assert len(compiled) > 50_000
    assert any("did you mean" in r.reason for r in compiled.rejected)


@pytest.mark.parametrize(
    "entries",
    [
        [],
        ["0.0.0.0/0"],
        ["255.255.255.255"],
        ["0.0.0.0"],  # noqa: S104 - a string to parse, not an address to bind
        ["0.0.0.0/0", "0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1", "1.2.3.4", "1.2.3.4"],
        ["10.0.0.0/8", "10.0.0.0/16", "10.0.0.0/24", "10.0.0.5", "10.0.0.0/8"],
        ["evil.example", "2001:db8::/32"],
        ["evil[.]example", "1.2.3.4"],  # defanged, nothing to trim
        ["hxxp://a.example/x", "fxp://b.example", "h", "f"],
        ["x(.)example", " 1.2.3.4", "5.6.7.8\t"],
        ["\u00a01.2.3.4", "1.2.3.5\u3000", "é.example"],
    ],
)
def test_edge_lists(entries, monkeypatch):
    compiled, plain = both_builds(entries, monkeypatch)
    _assert_same_tables(compiled, plain)


@pytest.mark.parametrize(
    ("values", "flags"),
    [
        ([], (False, False)),
        (["1.2.3.4", None, "", "evil.example"], (False, False)),
        (["1.2.3.4", "a[.]b"], (False, True)),
        (["hxxp://a.b"], (False, True)),
        (["fxp://a.b"], (False, True)),
        (["http://a.b", "f.example"], (False, False)),
        (["1.2.3.4 "], (True, True)),
        (["\u00e9.example"], (True, True)),
    ],
)
def test_text_flags_say_when_refanging_has_work(values, flags):
    assert kernel.text_flags(pa.array(values, pa.string())) == flags


def test_the_compiled_entry_parser_follows_the_plain_one():
    rng = random.Random(5)
    values: list[str | None] = [*EDGE_ENTRIES, None]
    for _ in range(20_000):
        if rng.random() < 0.5:
            octets = ".".join(str(rng.randrange(0, 300)) for _ in range(4))
            values.append(octets + rng.choice(["", "", f"/{rng.randrange(40)}", "/0", "/032"]))
        else:
            values.append("".join(rng.choice("0123456789./ x:") for _ in range(rng.randrange(20))))
    column = pa.array(values, pa.string())
    for part in (column, column.slice(7, 5000), column.cast(pa.large_string())):
        got = kernel.parse_v4_entries(part)
        expected = plain_v4_entries(part)
        for g, e in zip(got, expected, strict=True):
            assert g.dtype == e.dtype
            assert g.tolist() == e.tolist()


def test_the_compiled_segments_match_the_numpy_segments():
    rng = np.random.default_rng(3)
    n = 50_000
    starts = rng.integers(0, 1 << 32, n, dtype=np.uint64)
    plen = rng.integers(8, 33, n).astype(np.uint64)
    size = np.left_shift(np.uint64(1), np.uint64(32) - plen)
    wide = rng.random(n) < 0.1
    starts[wide] &= ~(size[wide] - np.uint64(1))
    ends = starts.copy()
    ends[wide] += size[wide] - np.uint64(1)
    owners = rng.permutation(n).astype(np.int32)
    bounds, offsets, ids, covered, by16, bitmap = kernel.v4_index(starts, ends, owners)
    expected = build_segments(starts, ends + np.uint64(1), owners, 0)
    for got, want in zip((bounds, offsets, ids), expected, strict=True):
        np.testing.assert_array_equal(got, want)
        assert got.dtype == want.dtype
    np.testing.assert_array_equal(covered, np.diff(expected[1]) > 0)
    lows = np.arange(65537, dtype=np.uint64) << np.uint64(16)
    np.testing.assert_array_equal(by16, np.searchsorted(expected[0], lows))
    assert bitmap.tobytes() == v4_bitmap(starts, ends).tobytes()


def test_the_compiled_segments_refuse_what_is_not_ipv4():
    one = np.ones(1, np.uint64)
    with pytest.raises(ValueError, match="not an IPv4 interval"):
        kernel.v4_index(one << np.uint64(33), one << np.uint64(33), np.zeros(1, np.int32))
    with pytest.raises(ValueError, match="not an IPv4 interval"):
        kernel.v4_index(one * np.uint64(5), one, np.zeros(1, np.int32))


@pytest.mark.parametrize("sliced", [False, True])
def test_the_spliced_key_column_equals_replace_with_mask(sliced):
    rng = random.Random(11)
    texts = [
        None
        if rng.random() < 0.1
        else "".join(rng.choice("ab.é1") for _ in range(rng.randrange(6)))
        for _ in range(3000)
    ]
    column = pa.array(texts, pa.string())
    if sliced:
        column = column.slice(17, 2000)
    valid = [k for k in range(len(column)) if column[k].is_valid]
    rows = np.asarray(sorted(rng.sample(valid, 300)), dtype=np.int64)
    values = pa.array([f"key-{k}" * rng.randrange(3) for k in rows.tolist()], pa.string())
    mask = np.zeros(len(column), dtype=bool)
    mask[rows] = True
    expected = pc.replace_with_mask(column, pa.array(mask), values)
    got = kernel.splice_strings(column, rows, values)
    assert got is not None
    assert got.equals(expected)
    with pytest.raises(ValueError, match="do not fit"):
        kernel.splice_strings(column, rows[::-1].copy(), values)
