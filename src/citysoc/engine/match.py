"""Match Arrow columns of addresses, domains and whole log records against an IndicatorSet.

Everything here is vectorised: a binary search per address over the elementary segments,
`index_in` per domain level, and CSR expansion to list every covering indicator.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from citysoc.engine import addr
from citysoc.engine.indicators import IndicatorSet, expand_csr, v6_key

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
        pos = _index_in(indicators.domain_index(), level)
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


def _index_in(index: dict[str, int], values: pa.Array) -> np.ndarray:
    """Position of each value in the listed domain keys, -1 when absent or null."""
    get = index.get
    return np.fromiter((get(v, -1) for v in values.to_pylist()), dtype=np.int64, count=len(values))


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
    r, i, c = r[keep], i[keep], c[keep]
    # One row per (record, indicator): src before dst before domain decides the direction.
    order = np.lexsort((c, i, r))
    r, i, c = r[order], i[order], c[order]
    first = np.ones(len(r), dtype=bool)
    first[1:] = (r[1:] != r[:-1]) | (i[1:] != i[:-1])
    r, i, c = r[first], i[first], c[first]
    return _hit_table(indicators, records, r, i, c, metadata), bad


def _hit_table(
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


def summarize(hits: pa.Table) -> pa.Table:
    """Per internal host: first_seen, last_seen, hits, records, families, indicators.

    first/last seen compare the time text, which orders correctly for ISO 8601 and epoch
    timestamps (the formats the readers emit).
    """
    if hits.num_rows == 0 or "indicator" not in hits.column_names:
        return pa.table(
            {
                "internal_host": pa.array([], pa.string()),
                "first_seen": pa.array([], pa.string()),
                "last_seen": pa.array([], pa.string()),
                "hits": pa.array([], pa.int64()),
                "records": pa.array([], pa.int64()),
                "families": pa.array([], pa.list_(pa.string())),
                "indicators": pa.array([], pa.list_(pa.string())),
            }
        )
    table = hits.select(["internal_host", "time", "record", "family", "indicator"]).set_column(
        3, "family", hits.column("family").cast(pa.string())
    )
    table = table.set_column(0, "internal_host", pc.fill_null(table.column(0), ""))
    grouped = table.group_by("internal_host").aggregate(
        [
            ("time", "min"),
            ("time", "max"),
            ("record", "count"),
            ("record", "count_distinct"),
            ("family", "distinct"),
            ("indicator", "distinct"),
        ]
    )
    # Select by the aggregate names: the key column's position differs between versions.
    names = {
        "internal_host": "internal_host",
        "first_seen": "time_min",
        "last_seen": "time_max",
        "hits": "record_count",
        "records": "record_count_distinct",
        "families": "family_distinct",
        "indicators": "indicator_distinct",
    }
    grouped = pa.table({new: grouped.column(old) for new, old in names.items()})
    # sort_by refuses tables with list columns: sort the keys, then take.
    order = pc.sort_indices(
        grouped.select(["hits", "internal_host"]),
        sort_keys=[("hits", "descending"), ("internal_host", "ascending")],
    )
    return grouped.take(order)


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


def is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class HitSummary:
    """Running per-host summary of hit tables, in memory bounded by hosts x indicators.

    Feed it hit tables block by block (`add`), read `summary()` at the end: the same table
    as `summarize(all hits)` without keeping the hits. Records never span blocks, so the
    per-block record counts add up exactly. Per-block partial results are merged only when
    they outgrow the merged state (amortised: each row is merged O(log n) times).
    """

    def __init__(self, detail: bool = True) -> None:
        """detail=False keeps only what the counts need (no host x family/indicator pairs)."""
        self.hits = 0
        self.matches = 0
        self.detail = detail
        self._parts: dict[str, list[pa.Table]] = {"stats": [], "family": [], "indicator": []}
        self._indicator_names: list[pa.Array] = []
        self._host_names: list[pa.Array] = []
        self._pending = 0
        self._merged = 0

    def add(self, hits: pa.Table) -> None:
        if hits.num_rows == 0:
            return
        n = hits.num_rows
        self.hits += n
        host = pc.fill_null(hits.column("internal_host"), "")
        # A hit table comes from one block of one log (or is keyed by log below), so the
        # record number identifies a matched record; integers keep this state small.
        key = hits.column("record").cast(pa.int64())
        if "log" in hits.column_names and len(pc.unique(hits.column("log"))) > 1:
            logs = pc.fill_null(hits.column("log"), "")
            key = pc.binary_join_element_wise(logs, key.cast(pa.string()), "#")
        self.matches += len(pc.unique(key))
        self._indicator_names.append(pc.unique(hits.column("indicator").combine_chunks()))
        self._host_names.append(pc.unique(host))
        self._pending += n
        if not self.detail:
            if self._pending > max(1_000_000, 2 * self._merged):
                self._merge()
            return
        part = pa.table({"internal_host": host, "time": hits.column("time"), "key": key})
        stats = part.group_by("internal_host").aggregate(
            [("time", "min"), ("time", "max"), ("key", "count"), ("key", "count_distinct")]
        )
        self._parts["stats"].append(
            pa.table(
                {
                    "internal_host": stats.column("internal_host"),
                    "first_seen": stats.column("time_min"),
                    "last_seen": stats.column("time_max"),
                    "hits": stats.column("key_count"),
                    "records": stats.column("key_count_distinct"),
                }
            )
        )
        if "family" in hits.column_names:
            family = hits.column("family").cast(pa.string())
        else:
            family = pa.nulls(n, pa.string())
        for name, values in (("family", family), ("indicator", hits.column("indicator"))):
            pairs = pa.table({"internal_host": host, name: values})
            self._parts[name].append(_distinct_pairs([pairs]))
        if self._pending > max(1_000_000, 2 * self._merged):
            self._merge()

    def _merge(self) -> None:
        for names in (self._indicator_names, self._host_names):
            if len(names) > 1:
                names[:] = [pc.unique(pa.concat_arrays(names))]
        self._merged = sum(len(a) for a in self._host_names)
        self._pending = 0
        if not self._parts["stats"]:
            return
        stats = pa.concat_tables(self._parts["stats"])
        if len(self._parts["stats"]) > 1:
            merged = stats.group_by("internal_host").aggregate(
                [("first_seen", "min"), ("last_seen", "max"), ("hits", "sum"), ("records", "sum")]
            )
            stats = pa.table(
                {
                    "internal_host": merged.column("internal_host"),
                    "first_seen": merged.column("first_seen_min"),
                    "last_seen": merged.column("last_seen_max"),
                    "hits": merged.column("hits_sum"),
                    "records": merged.column("records_sum"),
                }
            )
        self._parts["stats"] = [stats]
        for name in ("family", "indicator"):
            if self._parts[name]:
                self._parts[name] = [_distinct_pairs(self._parts[name])]
        self._merged = sum(t.num_rows for parts in self._parts.values() for t in parts)
        self._pending = 0
        pa.default_memory_pool().release_unused()  # hand merge scratch back to the OS

    @property
    def hosts(self) -> int:
        if not self._host_names:
            return 0
        names = (
            self._host_names[0]
            if len(self._host_names) == 1
            else pc.unique(pa.concat_arrays(self._host_names))
        )
        return int(pc.sum(pc.not_equal(names, "")).as_py() or 0)

    @property
    def indicators(self) -> int:
        if not self._indicator_names:
            return 0
        return len(pc.unique(pa.concat_arrays(self._indicator_names)))

    def summary(self) -> pa.Table:
        if not self.detail:
            raise ValueError("HitSummary(detail=False) keeps counts only; use detail=True")
        if not self._parts["stats"]:
            return summarize(pa.table({"internal_host": pa.array([], pa.string())}))
        self._merge()
        out = self._parts["stats"][0]
        hosts = out.column("internal_host").to_pylist()
        for name, col in (("families", "family"), ("indicators", "indicator")):
            lists = self._parts[col][0].group_by("internal_host").aggregate([(col, "distinct")])
            lookup = dict(
                zip(
                    lists.column("internal_host").to_pylist(),
                    lists.column(f"{col}_distinct").to_pylist(),
                    strict=True,
                )
            )
            values = [sorted(v for v in lookup.get(h, []) if v is not None) for h in hosts]
            out = out.append_column(name, pa.array(values, pa.list_(pa.string())))
        order = pc.sort_indices(
            out.select(["hits", "internal_host"]),
            sort_keys=[("hits", "descending"), ("internal_host", "ascending")],
        )
        return out.take(order)


def _distinct_pairs(tables: list[pa.Table]) -> pa.Table:
    """Distinct (internal_host, value) rows of the given tables."""
    both = pa.concat_tables(tables)
    return both.group_by(both.column_names).aggregate([])
