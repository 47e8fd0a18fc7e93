"""Per-host summaries of hit tables: `summarize(hits)` for one table, `HitSummary` for a
stream of them (block by block, in memory bounded by hosts x indicators).

Only pyarrow: the tables come from `match` (columns internal_host, time, record, family,
indicator, and `log` when several files feed one summary), which re-exports both names.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc


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
