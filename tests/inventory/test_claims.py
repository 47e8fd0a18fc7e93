"""The index of other units' space that judges every claim (`claims.Space`)."""

from __future__ import annotations

import pytest

from citysoc.inventory import claims
from citysoc.lib import iprange


def item(text: str, pk: int, kind: str = "range") -> claims.Item:
    r = iprange.parse_range(text)
    return claims.Item(r.version, r.first, r.last, kind, pk)


def span(text: str) -> tuple[int, int, int]:
    r = iprange.parse_range(text)
    return (r.version, r.first, r.last)


SPACE = claims.Space(
    [
        # A long range that starts early and reaches past shorter ones after it.
        item("198.51.0.0/16", 1),
        item("198.51.7.0/24", 2),
        item("203.0.113.9", 3, "host"),
        item("2001:db8::/48", 4),
    ]
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("198.51.200.0/24", [1]),  # inside the /16 only: found through its reach
        ("198.51.7.128/25", [1, 2]),
        ("198.50.0.0/16", []),
        ("198.50.255.255-198.51.0.0", [1]),  # touches at one address
        ("203.0.113.0/28", [3]),
        ("203.0.113.10/31", []),
        ("2001:db8:0:1::/64", [4]),
        ("2001:db9::/48", []),
        ("0.0.0.0/0", [1, 2, 3]),
    ],
)
def test_the_index_finds_exactly_the_entries_a_span_touches(text, expected):
    found = sorted(i.pk for i in SPACE.overlapping(*span(text)))
    assert found == expected
    assert SPACE.overlaps(*span(text)) == bool(expected)


def test_the_index_agrees_with_a_plain_scan_on_random_spans():
    import random

    rng = random.Random(13)
    items = []
    for pk in range(300):
        first = rng.randrange(2**20)
        items.append(claims.Item(4, first, first + rng.choice([0, 3, 255, 4095, 70000]), "r", pk))
    space = claims.Space(items)
    for _ in range(2000):
        first = rng.randrange(2**20)
        last = first + rng.choice([0, 15, 1023])
        brute = {i.pk for i in items if i.first <= last and i.last >= first}
        assert space.overlaps(4, first, last) == bool(brute)
        assert {i.pk for i in space.overlapping(4, first, last)} == brute


def test_the_size_limit_follows_the_setting(settings):
    settings.ADDRESS_CLAIM_MAX_PREFIX_V4 = 20
    assert not claims.too_wide(*span("10.0.0.0/20"))
    assert claims.too_wide(*span("10.0.0.0/19"))
    assert claims.too_wide(*span("10.0.0.0-10.0.16.0"))  # 4,097 addresses
