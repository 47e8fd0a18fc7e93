"""Match Arrow columns of addresses, domains and whole log records against an IndicatorSet.

Everything here is vectorised: a binary search per address over the elementary segments,
`index_in` per domain level, and CSR expansion to list every covering indicator. The
per-host summaries of the hits (`summarize`, `HitSummary`) are in `summary`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from citysoc.engine import addr
from citysoc.engine.indicators import IndicatorSet, expand_csr, v6_key

# The per-host summaries live in `summary`; re-exported for callers that import them from here.
from citysoc.engine.summary import HitSummary as HitSummary
from citysoc.engine.summary import summarize as summarize

RECORD_COLUMNS = ("record", "time", "src", "dst", "domain")
RECORD_SCHEMA = pa.schema(
    [
        ("record", pa.int64()),
        ("time", pa.string()),
        ("src", pa.string()),
        ("dst", pa.string()),
        ("domain", pa.string()),
    ]
)
# field code -> (record column that hit, direction, column holding the internal host)
_FIELDS = (("src", "inbound", "dst"), ("dst", "outbound", "src"), ("domain", "outbound", "src"))


def _pairs(rows: list[np.ndarray], ids: list[np.ndarray]) -> pa.Table:
    r = np.concatenate(rows) if rows else np.empty(0, np.int64)
    i = np.concatenate(ids) if ids else np.empty(0, np.int32)
    order = np.lexsort((i, r))
    return pa.table(
        {"row": pa.array(r[order], pa.int64()), "indicator_id": pa.array(i[order], pa.int32())}
    )


def lookup_addresses(
    indicators: IndicatorSet, values: pa.Array
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, indicator ids, bad mask) for a column of address strings."""
    is_v4, v4, v6_rows, v6_keys, bad = addr.parse_addresses(values)
    rows4 = np.flatnonzero(is_v4)
    hit_rows = []
    hit_ids = []
    if len(rows4):
        # The /24 bitmap drops most addresses (internal ones, unlisted ones) before the search.
        values = v4[rows4]
        s24 = values >> 8
        maybe = ((indicators.v4_bitmap[s24 >> 3] >> (s24 & 7).astype(np.uint8)) & 1).astype(bool)
        rows4 = rows4[maybe]
        pos, ids = _lookup_v4(indicators, values[maybe])
        hit_rows.append(rows4[pos])
        hit_ids.append(ids)
    if len(v6_rows) and indicators.has_v6:
        pos, ids = indicators.v6.lookup(v6_keys)
        hit_rows.append(v6_rows[pos])
        hit_ids.append(ids)
    rows = np.concatenate(hit_rows) if hit_rows else np.empty(0, np.int64)
    ids = np.concatenate(hit_ids) if hit_ids else np.empty(0, np.int32)
    return rows, ids, bad


def _lookup_v4(indicators: IndicatorSet, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from citysoc.engine import kernel  # the compiled kernels are optional

    if not kernel.available() or len(indicators.v4.ids) == 0 or len(values) == 0:
        return indicators.v4.lookup(values.astype(np.uint64))
    seg = kernel.v4_segments(indicators, values)
    first = indicators.v4.offsets[seg]
    return expand_csr(first, indicators.v4.offsets[seg + 1] - first, indicators.v4.ids)


def lookup_domains(indicators: IndicatorSet, values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(rows, indicator ids) for a column of names: a listed domain matches its subdomains."""
    if not indicators.has_domains or len(values) == 0 or values.null_count == len(values):
        return np.empty(0, np.int64), np.empty(0, np.int32)
    from citysoc.engine import kernel  # the compiled kernels are optional

    level = addr.normalize_domains(values)
    if kernel.available():
        # Every label level of every name in one compiled pass (hash, search, compare).
        hashes, order = indicators.domain_hashes()
        rows, keys, stripped = kernel.domain_suffixes(level, indicators.domain_keys, hashes, order)
        if len(rows) == 0:
            return np.empty(0, np.int64), np.empty(0, np.int32)
        # The order of the level-by-level path: by round, then row; names longer than
        # the longest listed domain had their extra leading labels stripped before round 0.
        dots = pc.fill_null(pc.count_substring(level, "."), 0).to_numpy(zero_copy_only=False)
        labels = dots[rows] + 1
        rounds = stripped - np.maximum(labels - indicators.max_domain_labels, 0)
        by_level = np.lexsort((rows, rounds))
        rows, keys = rows[by_level], keys[by_level]
        first = indicators.domain_offsets[keys]
        r, i = expand_csr(first, indicators.domain_offsets[keys + 1] - first, indicators.domain_ids)
        return rows[r], i
    max_labels = indicators.max_domain_labels
    labels = pc.add(pc.count_substring(level, "."), 1)
    # Names with more labels than the longest listed domain cannot match at full length:
    # strip their leading labels first so every name needs at most max_labels rounds.
    excess = pc.fill_null(pc.subtract(labels, max_labels), 0).to_numpy(zero_copy_only=False)
    if (excess > 0).any():
        pattern = r"^(?:[^.]*\.){%d}"
        for k in np.unique(excess[excess > 0]).tolist():
            mask = pa.array(excess == k)
            level = pc.if_else(mask, pc.replace_substring_regex(level, pattern % k, ""), level)
    hit_rows: list[np.ndarray] = []
    hit_ids: list[np.ndarray] = []
    for _ in range(max_labels):
        pos = indicators.domain_positions(level)
        found = pos >= 0
        if found.any():
            hit = np.flatnonzero(found)
            p = pos[hit]
            first = indicators.domain_offsets[p]
            counts = indicators.domain_offsets[p + 1] - first
            r, i = expand_csr(first, counts, indicators.domain_ids)
            hit_rows.append(hit[r])
            hit_ids.append(i)
        has_dot = pc.fill_null(pc.match_substring(level, "."), False)
        if not pc.any(has_dot).as_py():
            break
        level = pc.if_else(has_dot, pc.replace_substring_regex(level, r"^[^.]*\.", ""), None)
    if not hit_rows:
        return np.empty(0, np.int64), np.empty(0, np.int32)
    return np.concatenate(hit_rows), np.concatenate(hit_ids)


def match_ips(indicators: IndicatorSet, ips: pa.Array | Sequence[str]) -> pa.Table:
    """Table (row, indicator_id) listing every indicator that covers each address."""
    rows, ids, _ = lookup_addresses(indicators, addr.as_string_array(ips))
    return _pairs([rows], [ids])


def match_domains(indicators: IndicatorSet, names: pa.Array | Sequence[str]) -> pa.Table:
    """Table (row, indicator_id) listing every listed domain equal to or above each name."""
    rows, ids = lookup_domains(indicators, addr.as_string_array(names))
    return _pairs([rows], [ids])


def _column(records: pa.Table, name: str) -> pa.Array:
    if name in records.column_names:
        return addr.as_string_array(records.column(name))
    return pa.nulls(records.num_rows, pa.string())


def match_records(
    indicators: IndicatorSet, records: pa.Table, metadata: bool = True
) -> tuple[pa.Table, np.ndarray]:
    """Match a record table; return (hits, bad) where bad marks rows with a malformed address.

    A row whose `src` or `dst` is present but not an IP address is reported as bad and gives
    no hits: half-parsed records would make sightings that nobody can check. With
    `metadata=False` the hits carry the indicator and its kind but not the list's other
    columns (family, list, ...): a run that only counts does not read them from the set.
    """
    n = records.num_rows
    rows, ids, codes = [], [], []
    bad = np.zeros(n, dtype=bool)
    for code, (field, _, _) in enumerate(_FIELDS):
        values = _column(records, field)
        if field == "domain":
            r, i = lookup_domains(indicators, values)
        else:
            r, i, b = lookup_addresses(indicators, values)
            bad |= b
        rows.append(r)
        ids.append(i)
        codes.append(np.full(len(r), code, dtype=np.int8))
    r = np.concatenate(rows)
    i = np.concatenate(ids)
    c = np.concatenate(codes)
    keep = ~bad[r] if len(r) else np.zeros(0, bool)
    r, i, c = one_per_pair(r[keep], i[keep], c[keep])
    return hit_table(indicators, records, r, i, c, metadata), bad


def one_per_pair(
    r: np.ndarray, i: np.ndarray, c: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, indicator id, field code) ordered by row and id, one per (row, indicator):
    src before dst before domain decides the direction."""
    order = np.lexsort((c, i, r))
    r, i, c = r[order], i[order], c[order]
    first = np.ones(len(r), dtype=bool)
    first[1:] = (r[1:] != r[:-1]) | (i[1:] != i[:-1])
    return r[first], i[first], c[first]


def segment_pairs(
    indicators: IndicatorSet, segments: Sequence[np.ndarray]
) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """(rows, indicator ids, field codes) per address field (src, dst) whose IPv4 elementary
    segment is already known (-1: none), as `lookup_addresses` would find them."""
    offsets, v4_ids = indicators.v4.offsets, indicators.v4.ids
    rows, ids, codes = [], [], []
    for code, seg in enumerate(segments):
        hit = np.flatnonzero(seg >= 0)
        first = offsets[seg[hit]]
        r, i = expand_csr(first, offsets[seg[hit] + 1] - first, v4_ids)
        rows.append(hit[r])
        ids.append(i)
        codes.append(np.full(len(r), code, dtype=np.int8))
    return rows, ids, codes


def hit_table(
    indicators: IndicatorSet,
    records: pa.Table,
    r: np.ndarray,
    i: np.ndarray,
    c: np.ndarray,
    metadata: bool = True,
) -> pa.Table:
    take = pa.array(r, pa.int64())
    codes = pa.array(c, pa.int8())
    src, dst, dom = (_column(records, f).take(take) for f in ("src", "dst", "domain"))
    remote = pc.choose(codes, src, dst, dom)
    internal = pc.choose(codes, dst, src, src)
    direction = pc.choose(codes, *(pa.scalar(d) for _, d, _ in _FIELDS))
    if "record" in records.column_names:
        record = records.column("record").take(take)
    else:
        record = pa.array(r + 1, pa.int64())
    out = {
        "record": record,
        "time": _column(records, "time").take(take),
        "internal_host": internal,
        "remote": remote,
        "direction": direction,
    }
    if "log" in records.column_names:
        out["log"] = records.column("log").take(take)
    meta = indicators.table
    if not metadata:
        meta = meta.select(["indicator", "kind"])
    meta = meta.take(pa.array(i, pa.int32()))
    for name in meta.column_names:
        if name != "key":
            out["list" if name == "source" else name] = meta.column(name)
    return pa.table(out)


def match_table(indicators: IndicatorSet, records: pa.Table) -> pa.Table:
    """Hits of a record table (columns record, time, src, dst, domain; any may be absent).

    One output row per (record, indicator): record, time, internal_host, remote, direction
    (`inbound` when the source address is listed, `outbound` for the destination or the
    domain), indicator, kind and the indicator's metadata columns.
    """
    return match_records(indicators, records)[0]


# ---- unit ranges -------------------------------------------------------------------------


def match_ranges(indicators: IndicatorSet, ranges: pa.Array | Sequence[str]) -> pa.Table:
    """Which listed indicators fall inside, equal, contain or overlap each unit range.

    `ranges` holds CIDRs, addresses, `a-b` ranges or domains (the units' registered
    addresses). Output: row, range, relation (`equal`, `contains` = the unit range contains
    the indicator, `within` = the unit range lies inside the indicator, `overlaps`),
    indicator, kind and the metadata columns. Unparseable entries are skipped; validate
    them where they are entered.
    """
    values = addr.as_string_array(ranges).to_pylist()
    out_rows: list[int] = []
    out_ids: list[int] = []
    out_rel: list[str] = []
    for row, text in enumerate(values):
        for ind, rel in _range_hits(indicators, (text or "").strip()):
            out_rows.append(row)
            out_ids.append(ind)
            out_rel.append(rel)
    meta = indicators.table.take(pa.array(out_ids, pa.int32()))
    result = {
        "row": pa.array(out_rows, pa.int64()),
        "range": pa.array([values[r] for r in out_rows], pa.string()),
        "relation": pa.array(out_rel, pa.string()),
    }
    for name in meta.column_names:
        if name != "key":
            result["list" if name == "source" else name] = meta.column(name)
    return pa.table(result)


def _range_hits(indicators: IndicatorSet, text: str) -> list[tuple[int, str]]:
    from citysoc.engine.indicators import _ip_interval, _looks_like_ip

    if not text:
        return []
    if not _looks_like_ip(text):
        return _domain_range_hits(indicators, text)
    try:
        version, lo, hi, _ = _ip_interval(text)
    except ValueError:
        return []
    index = indicators.v4 if version == 4 else indicators.v6
    if len(index.ids) == 0:
        return []
    key_lo = np.uint64(lo) if version == 4 else np.array([v6_key(lo)], dtype="S17")[0]
    key_hi = np.uint64(hi) if version == 4 else np.array([v6_key(hi)], dtype="S17")[0]
    s = max(int(np.searchsorted(index.bounds, key_lo, side="right")) - 1, 0)
    e = int(np.searchsorted(index.bounds, key_hi, side="right")) - 1
    ids = np.unique(index.ids[index.offsets[s] : index.offsets[e + 1]])
    hits = []
    pos = {int(o): k for k, o in enumerate(index.owners.tolist())} if len(ids) else {}
    for ind in ids.tolist():
        k = pos[ind]
        i_lo, i_hi = _as_int(index.starts[k]), _as_int(index.ends[k])
        if (i_lo, i_hi) == (lo, hi):
            rel = "equal"
        elif lo <= i_lo and i_hi <= hi:
            rel = "contains"
        elif i_lo <= lo and hi <= i_hi:
            rel = "within"
        else:
            rel = "overlaps"
        hits.append((ind, rel))
    return hits


def _as_int(value: int | bytes | np.integer | np.bytes_) -> int:
    if isinstance(value, bytes | np.bytes_):
        return int.from_bytes(bytes(value), "big")
    return int(value)


def _domain_range_hits(indicators: IndicatorSet, text: str) -> list[tuple[int, str]]:
    name = addr.normalize_domains(pa.array([text])).to_pylist()[0]
    if not name or not indicators.has_domains:
        return []
    hits = []
    _, ids = lookup_domains(indicators, pa.array([name]))
    keys = indicators.table.column("key")
    for ind in ids.tolist():
        hits.append((ind, "equal" if keys[ind].as_py() == name else "within"))
    below = addr._bool(pc.ends_with(indicators.domain_keys, "." + name))
    for p in np.flatnonzero(below).tolist():
        for ind in indicators.domain_ids[
            indicators.domain_offsets[p] : indicators.domain_offsets[p + 1]
        ]:
            hits.append((int(ind), "contains"))
    return hits
