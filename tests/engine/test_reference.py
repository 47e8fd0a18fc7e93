"""The engine agrees with the slow `ipaddress` reference on random sets and edge cases."""

from __future__ import annotations

import ipaddress

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citysoc.engine import IndicatorSet, match_domains, match_ips, match_table
from tests.engine import reference


def _engine_ip_hits(indicators: list[str], ips: list[str]) -> list[set[str]]:
    iset = IndicatorSet.from_arrow(pa.table({"indicator": indicators}))
    assert not iset.rejected, iset.rejected
    pairs = match_ips(iset, pa.array(ips, pa.string())).to_pylist()
    out: list[set[str]] = [set() for _ in ips]
    for p in pairs:
        out[p["row"]].add(iset.table.column("indicator")[p["indicator_id"]].as_py())
    return out


def _reference_ip_hits(indicators: list[str], ips: list[str]) -> list[set[str]]:
    return [{indicators[k] for k in hits} for hits in reference.match_ips(indicators, ips)]


# ---- strategies: addresses near each other so that ranges overlap, nest and touch ------

v4_int = st.one_of(
    st.integers(0, 2**32 - 1),
    st.integers(0x0A000000, 0x0A0000FF),  # a dense corner: lots of overlap
    st.sampled_from([0, 1, 2**32 - 1, 2**32 - 2, 0x0A000080]),
)
v6_int = st.one_of(
    st.integers(0, 2**128 - 1),
    st.integers(0x20010DB8 << 96, (0x20010DB8 << 96) + 512),
    st.sampled_from([0, 2**128 - 1]),
)


@st.composite
def v4_indicator(draw):
    kind = draw(st.sampled_from(["addr", "cidr", "range"]))
    a = draw(v4_int)
    if kind == "addr":
        return str(ipaddress.IPv4Address(a))
    if kind == "cidr":
        plen = draw(st.integers(0, 32))
        return str(ipaddress.ip_network((a, plen), strict=False))
    b = draw(v4_int)
    lo, hi = sorted((a, b))
    return f"{ipaddress.IPv4Address(lo)}-{ipaddress.IPv4Address(hi)}"


@st.composite
def v6_indicator(draw):
    a = draw(v6_int)
    if draw(st.booleans()):
        return str(ipaddress.IPv6Address(a))
    return str(ipaddress.ip_network((a, draw(st.integers(0, 128))), strict=False))


def _v4_text(a: int) -> str:
    return str(ipaddress.IPv4Address(a))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    indicators=st.lists(st.one_of(v4_indicator(), v6_indicator()), min_size=1, max_size=25),
    ips=st.lists(
        st.one_of(
            v4_int.map(_v4_text),
            v6_int.map(lambda a: str(ipaddress.IPv6Address(a))),
            v4_int.map(lambda a: f"::ffff:{_v4_text(a)}"),
        ),
        min_size=1,
        max_size=40,
    ),
)
def test_ip_matching_agrees_with_reference(indicators, ips):
    assert _engine_ip_hits(indicators, ips) == _reference_ip_hits(indicators, ips)


@st.composite
def domain(draw):
    labels = draw(
        st.lists(
            st.sampled_from(["a", "b", "evil", "xn--bcher-kva", "c-d", "1x"]),
            min_size=1,
            max_size=4,
        )
    )
    return ".".join(labels) + draw(st.sampled_from(["", ".example", ".com"]))


@settings(max_examples=100, deadline=None)
@given(
    indicators=st.lists(domain(), min_size=1, max_size=15),
    names=st.lists(
        st.tuples(domain(), st.booleans(), st.booleans()).map(
            lambda t: (t[0].upper() if t[1] else t[0]) + ("." if t[2] else "")
        ),
        min_size=1,
        max_size=30,
    ),
)
def test_domain_matching_agrees_with_reference(indicators, names):
    indicators = [i for i in indicators if any(c.isalpha() for c in i)] or ["evil.example"]
    iset = IndicatorSet.from_arrow(pa.table({"indicator": indicators}))
    got = [set() for _ in names]
    for p in match_domains(iset, names).to_pylist():
        got[p["row"]].add(iset.table.column("indicator")[p["indicator_id"]].as_py())
    want = [{indicators[k] for k in reference.match_domain(indicators, n)} for n in names]
    assert got == want


# ---- edge cases -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "inside", "outside"),
    [
        ("0.0.0.0/0", ["0.0.0.0", "255.255.255.255"], ["::1"]),  # noqa: S104 - data, not a bind
        ("::/0", ["::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db8::1"], ["1.2.3.4"]),
        ("192.0.2.7/32", ["192.0.2.7"], ["192.0.2.6", "192.0.2.8"]),
        ("2001:db8::7/128", ["2001:db8::7"], ["2001:db8::6", "2001:db8::8"]),
        ("192.0.2.250-192.0.3.5", ["192.0.2.250", "192.0.3.0", "192.0.3.5"], ["192.0.3.6"]),
        ("255.255.255.255", ["255.255.255.255", "::ffff:255.255.255.255"], ["255.255.255.254"]),
        ("::ffff:198.51.100.1", ["198.51.100.1", "::ffff:198.51.100.1"], ["::198.51.100.1"]),
    ],
)
def test_boundaries(indicator, inside, outside):
    hits = _engine_ip_hits([indicator], inside + outside)
    assert hits == [{indicator}] * len(inside) + [set()] * len(outside)
    assert hits == _reference_ip_hits([indicator], inside + outside)


def test_adjacent_nested_and_duplicate_ranges_keep_every_indicator():
    indicators = ["10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.3", "10.1.2.3", "10.1.3.0/24"]
    ips = ["10.1.2.3", "10.1.2.255", "10.1.3.0", "10.2.0.0", "11.0.0.0", "9.255.255.255"]
    got = _engine_ip_hits(indicators, ips)
    assert got == _reference_ip_hits(indicators, ips)
    iset = IndicatorSet.from_arrow(pa.table({"indicator": indicators}))
    rows = match_ips(iset, ["10.1.2.3"]).column("indicator_id").to_pylist()
    assert sorted(rows) == [0, 1, 2, 3, 4]  # duplicates are two indicators, both reported


def test_bad_entries_are_rejected_with_line_and_reason():
    table = pa.table(
        {
            "indicator": ["1.2.3.4", "1.2.3.999", "10.0.0.5/24", "", "a b", "9.9.9.9-1.1.1.1"],
            "line": [10, 11, 12, 13, 14, 15],
        }
    )
    iset = IndicatorSet.from_arrow(table)
    assert len(iset) == 1
    reasons = {r.line: r.reason for r in iset.rejected}
    assert reasons[11] == "not a valid IPv4 address"
    assert reasons[12].startswith("host bits set; did you mean 10.0.0.0/24")
    assert reasons[13] == "empty entry"
    assert 14 in reasons
    assert reasons[15] == "range end is before its start"


def test_domains_urls_idn_and_defanged_forms():
    iset = IndicatorSet.from_arrow(
        pa.table(
            {
                "indicator": [
                    "Evil.Example.",
                    "hxxps://c2[.]bad.example:8443/gate",
                    "bücher.example",
                    "http://198.51.100.9/x",
                ],
                "family": ["f1", "f2", "f3", "f4"],
            }
        )
    )
    assert iset.table.column("key").to_pylist() == [
        "evil.example",
        "c2.bad.example",
        "xn--bcher-kva.example",
        "198.51.100.9",
    ]
    names = [
        "a.b.EVIL.example",
        "evil.example.",
        "notevil.example",
        "x.c2.bad.example",
        "XN--BCHER-KVA.example",
    ]
    rows = match_domains(iset, names).to_pylist()
    assert sorted((r["row"], r["indicator_id"]) for r in rows) == [(0, 0), (1, 0), (3, 1), (4, 2)]
    assert match_ips(iset, ["198.51.100.9"]).num_rows == 1


def test_records_without_address_fields_and_empty_tables():
    iset = IndicatorSet.from_arrow(pa.table({"indicator": ["198.51.100.0/24"]}))
    assert match_table(iset, pa.table({"record": pa.array([], pa.int64())})).num_rows == 0
    hits = match_table(iset, pa.table({"time": ["t1", "t2"], "dst": [None, "198.51.100.1"]}))
    assert hits.column("record").to_pylist() == [2]
    assert hits.column("direction").to_pylist() == ["outbound"]
    assert hits.column("internal_host").to_pylist() == [None]


def test_empty_indicator_set_matches_nothing():
    iset = IndicatorSet.from_arrow(pa.table({"indicator": pa.array([], pa.string())}))
    assert match_ips(iset, ["1.2.3.4", "::1"]).num_rows == 0
    assert match_domains(iset, ["a.example"]).num_rows == 0


def test_large_random_set_agrees_on_sampled_addresses():
    rng = np.random.default_rng(7)
    singles = [_v4_text(a) for a in rng.integers(0, 2**32, 3000).tolist()]
    nets = [
        str(ipaddress.ip_network((int(a), int(p)), strict=False))
        for a, p in zip(rng.integers(0, 2**32, 300), rng.integers(8, 31, 300), strict=True)
    ]
    indicators = singles + nets
    probes = singles[:200] + [_v4_text(a) for a in rng.integers(0, 2**32, 300).tolist()]
    assert _engine_ip_hits(indicators, probes) == _reference_ip_hits(indicators, probes)
