import ipaddress
import itertools
import random

import pytest
from django.urls import reverse

from citysoc.inventory.overlaps import Span, overlapping_ids, overlapping_pairs
from citysoc.lib import iprange
from tests.factories import make_range


def _span(i: int, unit: int, text: str) -> Span:
    r = iprange.parse_range(text)
    return Span(i, unit, r.version, r.first_key, r.last_key)


def _reference(spans) -> set[frozenset[int]]:
    """Every pair compared with the obvious O(n^2) test on real integers."""
    found = set()
    for a, b in itertools.combinations(spans, 2):
        same_version = a.version == b.version
        ia, ib = (
            (int(a.first_key, 16), int(a.last_key, 16)),
            (int(b.first_key, 16), int(b.last_key, 16)),
        )
        if a.unit_id != b.unit_id and same_version and ia[0] <= ib[1] and ib[0] <= ia[1]:
            found.add(frozenset((a.id, b.id)))
    return found


def _pairs(spans) -> set[frozenset[int]]:
    result = overlapping_pairs(spans)
    assert len(result) == len({frozenset((a.id, b.id)) for a, b in result}), "a pair twice"
    return {frozenset((a.id, b.id)) for a, b in result}


CASES = {
    "nested": [(1, "10.0.0.0/16"), (2, "10.0.5.0/24")],
    "touching ends": [(1, "10.0.0.0-10.0.0.10"), (2, "10.0.0.10-10.0.0.20")],
    "adjacent, no overlap": [(1, "10.0.0.0/25"), (2, "10.0.0.128/25")],
    "same unit is not flagged": [(1, "10.0.0.0/24"), (1, "10.0.0.0/25")],
    "v4 and v6 never overlap": [(1, "0.0.0.0/8"), (2, "::/120")],
    "ipv6": [(1, "2001:db8::/32"), (2, "2001:db8:1::/48"), (3, "2001:db9::/32")],
    "long range over many": [
        (1, "10.0.0.0/8"),
        (2, "10.1.0.0/16"),
        (3, "10.2.0.0/16"),
        (2, "11.0.0.0/8"),
    ],
}


@pytest.mark.parametrize("name", CASES)
def test_the_sweep_agrees_with_the_obvious_pairwise_check(name):
    spans = [_span(i, unit, text) for i, (unit, text) in enumerate(CASES[name])]
    assert _pairs(spans) == _reference(spans)


def test_the_sweep_agrees_with_the_reference_on_random_ranges():
    rng = random.Random(7)
    spans = []
    for i in range(300):
        first = rng.randrange(0, 5000)
        last = first + rng.randrange(0, 200)
        text = f"{ipaddress.IPv4Address(first)}-{ipaddress.IPv4Address(last)}"
        spans.append(_span(i, rng.randrange(4), text))
    assert _pairs(spans) == _reference(spans)
    assert overlapping_ids(spans) == {i for pair in _reference(spans) for i in pair}


def test_the_overlap_page_lists_the_pairs_for_the_city(client_as, city_admin, unit_a, unit_b):
    a = make_range(unit_a, "203.0.113.0/24")
    b = make_range(unit_b, "203.0.113.64/26")
    make_range(unit_b, "198.51.100.0/24")
    response = client_as(city_admin).get(reverse("inventory:range-overlaps"))
    assert [(x.pk, y.pk) for x, y in response.context["pairs"]] == [(a.pk, b.pk)]


def test_the_overlap_page_is_not_found_for_a_ward(client_as, officer_a):
    assert client_as(officer_a).get(reverse("inventory:range-overlaps")).status_code == 404
