"""Find IP ranges of different units that overlap, for the city to resolve.

Two units claiming the same addresses break every later step: a botnet sighting on such an
address would be sent to the wrong unit, or to both. The finder sorts the ranges once and
sweeps them (O(n log n + pairs)) instead of comparing every pair.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """The parts of a stored range the sweep needs (keys are fixed-width hex: text order is
    numeric order)."""

    id: int
    unit_id: int
    version: int
    first_key: str
    last_key: str


def overlapping_pairs(spans: Iterable[Span]) -> list[tuple[Span, Span]]:
    """Every pair of ranges of different units that share at least one address.

    Each pair is returned once, the range that starts first (then the lower id) first.
    """
    ordered = sorted(spans, key=lambda s: (s.version, s.first_key, s.id))
    pairs: list[tuple[Span, Span]] = []
    # The ranges still open at the current start, as a heap by where they end.
    active: list[tuple[str, int, Span]] = []
    version = None
    for span in ordered:
        if span.version != version:
            active, version = [], span.version
        while active and active[0][0] < span.first_key:
            heapq.heappop(active)
        pairs.extend((other, span) for _, _, other in active if other.unit_id != span.unit_id)
        heapq.heappush(active, (span.last_key, span.id, span))
    return pairs


def overlapping_ids(spans: Iterable[Span]) -> set[int]:
    """The ids of the ranges that overlap a range of another unit."""
    return {s.id for pair in overlapping_pairs(spans) for s in pair}


def spans_of(queryset) -> list[Span]:
    """Read the sweep's fields of the approved ranges in `queryset` in one query.

    Pending ranges are not the unit's yet: the city decides them on the approval list.
    """
    rows = (
        queryset.approved()
        .order_by()
        .values_list("id", "unit_id", "version", "first_key", "last_key")
    )
    return [Span(*row) for row in rows]
