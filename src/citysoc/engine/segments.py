"""Elementary segments: the lookup structure behind every IP indicator of one family.

The address space is cut at every range start and every range end + 1, and each segment
keeps the list (CSR layout: `offsets` + `ids`) of every indicator that covers it. So
overlapping and nested ranges are merged for lookup (one binary search per address)
without losing which indicators cover an address.

Built with whole-array sorts and no Python object per indicator: IPv4 boundaries (33 bits)
are packed with their position into one 64-bit key, single addresses are sorted once and
the other sorted runs are merged (see `_sorted_v4`, `_segment_lists`). With the compiled
kernels the IPv4 segments are built in C instead (`kernel.v4_index`, the same arrays);
this module is then used for IPv6 and by runs without the kernels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

V6_DTYPE = "S17"  # one leading byte so that "end + 1" of ::/0 (2**128) still fits


@dataclass(frozen=True)
class RangeIndex:
    """Elementary segments of one address family: segment i starts at bounds[i]."""

    bounds: np.ndarray  # sorted; bounds[0] is the lowest address
    offsets: np.ndarray  # int64, len(bounds) + 1
    ids: np.ndarray  # int32 indicator ids, grouped by segment
    starts: np.ndarray  # per IP indicator, same dtype as bounds
    ends: np.ndarray  # per IP indicator, inclusive
    owners: np.ndarray  # int32: indicator id of starts[k]/ends[k]

    def lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (position in keys, indicator id) for every covering indicator."""
        if len(keys) == 0 or len(self.ids) == 0:
            return np.empty(0, np.int64), np.empty(0, np.int32)
        # Sorted needles walk the bounds in order (cache friendly): ~5x faster on 1M bounds.
        order = np.argsort(keys, kind="stable")
        seg = np.empty(len(keys), dtype=np.int64)
        seg[order] = np.searchsorted(self.bounds, keys[order], side="right") - 1
        seg = np.maximum(seg, 0)
        first = self.offsets[seg]
        counts = self.offsets[seg + 1] - first
        return expand_csr(first, counts, self.ids)

    @classmethod
    def build(cls, starts: np.ndarray, ends: np.ndarray, owners: np.ndarray) -> RangeIndex:
        """IPv4 (uint64 values) or IPv6 (V6_DTYPE keys) ranges, ends inclusive."""
        if starts.dtype == np.uint64:
            bounds, offsets, ids = build_segments(starts, ends + np.uint64(1), owners, 0)
        else:
            bounds, offsets, ids = build_segments(starts, v6_plus_one(ends), owners, v6_key(0))
        return cls(bounds, offsets, ids, starts, ends, owners)


def expand_csr(
    first: np.ndarray, counts: np.ndarray, ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For row r with counts[r] hits starting at first[r], list (r, ids[first[r] + j])."""
    hit_rows = np.flatnonzero(counts > 0)
    if len(hit_rows) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int32)
    n = counts[hit_rows]
    total = int(n.sum())
    rows = np.repeat(hit_rows, n)
    start_of_run = np.repeat(np.cumsum(n) - n, n)
    pos = np.repeat(first[hit_rows], n) + (np.arange(total) - start_of_run)
    return rows.astype(np.int64), ids[pos]


def build_segments(
    starts: np.ndarray, ends_excl: np.ndarray, owners: np.ndarray, zero: int | bytes
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cut the space at every start and end+1; list the covering indicators per segment.

    One sort of all boundaries gives both the unique bounds and each boundary's rank, so
    no binary search over unsorted keys is needed. Boundary k of the sort's input is the
    lowest address (k = 0), start k - 1 or end k - 1 - n. Within a segment, indicators
    are listed by start (equal starts in input order).
    """
    n_iv = len(starts)
    shift = max(int(2 * n_iv).bit_length(), 1)
    if starts.dtype == np.uint64 and n_iv and int(ends_excl.max()) < (1 << (64 - shift)):
        ordered, order, by_start = _sorted_v4(starts, ends_excl, shift)
    else:
        combined = np.concatenate([np.asarray([zero], dtype=starts.dtype), starts, ends_excl])
        order = np.argsort(combined, kind="stable")
        ordered = combined[order]
        by_start = order[(order >= 1) & (order <= n_iv)] - 1
    is_new = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=is_new[1:])
    bounds = ordered[is_new]
    del ordered
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.cumsum(is_new, dtype=np.int32) - 1
    del order, is_new
    a = rank[1 : 1 + n_iv][by_start]
    n = rank[1 + n_iv :][by_start] - a
    del rank
    if int(n.sum()) == n_iv:  # no two indicators overlap: each covers exactly one segment
        seg, ids = a, owners[by_start]
    else:
        seg, ids = _segment_lists(a, n, owners[by_start])
    offsets = np.zeros(len(bounds) + 1, dtype=np.int64)
    np.cumsum(np.bincount(seg, minlength=len(bounds)), out=offsets[1:])
    return bounds, offsets, ids.astype(np.int32)


def _sorted_v4(
    starts: np.ndarray, ends_excl: np.ndarray, shift: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sorted boundaries, their input positions, intervals in start order) for IPv4.

    Each value (33 bits) is packed with its position into one 64-bit key, so ties keep
    input order and a plain `np.sort` does the work. The starts are sorted once; single
    addresses (the bulk of a list) then have their ends (start + 1) in the same order, so
    the keys form a few sorted runs that a stable (merging) sort joins in linear time,
    instead of one random sort of twice as many keys.
    """
    n_iv = len(starts)
    mask = np.uint64((1 << shift) - 1)
    keys = starts << np.uint64(shift)
    keys |= np.arange(1, n_iv + 1, dtype=np.uint64)
    keys.sort()
    by_start = (keys & mask).astype(np.int64)
    by_start -= 1
    single = ends_excl == starts + np.uint64(1)
    firsts = by_start[single[by_start]]  # single addresses, in start order
    others = np.flatnonzero(~single)
    del single
    single_ends = ends_excl[firsts] << np.uint64(shift)
    single_ends |= (firsts + 1 + n_iv).astype(np.uint64)
    other_ends = ends_excl[others] << np.uint64(shift)
    other_ends |= (others + 1 + n_iv).astype(np.uint64)
    other_ends.sort()
    runs = np.concatenate([np.zeros(1, np.uint64), keys, single_ends, other_ends])
    del keys, single_ends, other_ends
    runs.sort(kind="stable")
    order = (runs & mask).astype(np.int64)
    runs >>= np.uint64(shift)
    return runs, order, by_start


def _segment_lists(
    a: np.ndarray, n: np.ndarray, owners: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(segment, owner) pairs grouped by segment, intervals visited by start: interval k
    covers segments a[k] .. a[k] + n[k] - 1. Single-segment intervals give pairs already
    in order; only the pairs of wider ones are sorted, then both runs merged."""
    n_iv = len(a)
    shift = max(int(n_iv - 1).bit_length(), 1)
    visit = np.arange(n_iv, dtype=np.uint64)
    one = n == 1
    run1 = (a[one].astype(np.uint64) << np.uint64(shift)) | visit[one]
    wide = np.flatnonzero(n > 1)
    counts = n[wide]
    first = np.cumsum(counts) - counts
    seg = np.repeat(a[wide] - first, counts) + np.arange(int(counts.sum()))
    run2 = np.sort((seg.astype(np.uint64) << np.uint64(shift)) | np.repeat(visit[wide], counts))
    packed = np.sort(np.concatenate([run1, run2]), kind="stable")
    order = (packed & np.uint64((1 << shift) - 1)).astype(np.int64)
    return (packed >> np.uint64(shift)).astype(np.int64), owners[order]


def v4_bitmap(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """One bit per /24 that any IPv4 indicator touches: 2 MiB, fits in L2/L3 cache."""
    cover = np.zeros(1 << 24, dtype=bool)
    lo = (starts >> np.uint64(8)).astype(np.int64)
    hi = (ends >> np.uint64(8)).astype(np.int64)
    single = lo == hi
    cover[lo[single]] = True
    if (~single).any():
        # Ranges wider than a /24 are few (and fewer once merged): mark them slice by slice.
        wlo, whi = lo[~single], hi[~single]
        order = np.argsort(wlo)
        wlo, whi = wlo[order], np.maximum.accumulate(whi[order])
        starts_run = np.ones(len(wlo), dtype=bool)
        starts_run[1:] = wlo[1:] > whi[:-1] + 1
        run_lo = wlo[starts_run]
        run_hi = np.maximum.reduceat(whi, np.flatnonzero(starts_run))
        for a, b in zip(run_lo.tolist(), run_hi.tolist(), strict=True):
            cover[a : b + 1] = True
    return np.packbits(cover, bitorder="little")


def v6_key(value: int) -> bytes:
    return value.to_bytes(17, "big")


def v6_keys(packed: np.ndarray) -> np.ndarray:
    """V6_DTYPE keys of an (n, 16) uint8 matrix of big-endian addresses."""
    out = np.zeros((len(packed), 17), dtype=np.uint8)
    out[:, 1:] = packed
    return out.reshape(-1).view(V6_DTYPE) if len(packed) else np.empty(0, V6_DTYPE)


def v6_plus_one(keys: np.ndarray) -> np.ndarray:
    """keys + 1 (with carry, never overflowing thanks to the leading byte)."""
    if len(keys) == 0:
        return np.empty(0, V6_DTYPE)
    digits = np.frombuffer(np.ascontiguousarray(keys).tobytes(), np.uint8).reshape(-1, 17)
    digits = digits.astype(np.int16)
    carry = np.ones(len(keys), dtype=np.int16)
    for col in range(16, -1, -1):
        total = digits[:, col] + carry
        digits[:, col] = total & 0xFF
        carry = total >> 8
        if not carry.any():
            break
    return digits.astype(np.uint8).reshape(-1).view(V6_DTYPE)
