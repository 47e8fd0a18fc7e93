"""citysoc matching engine: indicator lists against addresses and logs. Django-free.

Imports only the standard library, pyarrow and numpy (and its own compiled kernels, C,
built by `pip install`). Arrow in, Arrow out:

- `IndicatorSet.from_arrow(table)` / `IndicatorSet.from_files(paths)` /
  `load_indicator_files(paths, cache_dir)`: compile IPs, CIDRs, a-b ranges, domains and
  URLs with their metadata; `.rejected` lists bad entries with line numbers and reasons;
  `.save(path)` / `IndicatorSet.load(path)` cache the compiled set.
- `match_ips(indicators, ips)`, `match_domains(indicators, names)`: (row, indicator_id).
- `match_table(indicators, records)`: hits of a record table (record, time, src, dst,
  domain) with direction, internal host and indicator metadata; `summarize(hits)` per host
  (in `summary`, with the streaming `HitSummary`).
- `match_ranges(indicators, ranges)`: which unit ranges/addresses/domains contain, equal,
  lie within or overlap listed indicators.
- `readers.READERS`: streaming log readers; `pipeline.match_file(...)` streams one file in
  bounded memory through the compiled prefilter, the reader and the matcher.
- `spark.match_with_spark(...)`: the same per-block function inside `mapInArrow`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from citysoc.engine.indicators import IndicatorSet, Rejection, load_indicator_files
    from citysoc.engine.match import (
        match_domains,
        match_ips,
        match_ranges,
        match_records,
        match_table,
    )
    from citysoc.engine.summary import summarize

# Loaded on first use (PEP 562): `citysoc match --help`, `python -m citysoc.engine` and the
# Django apps that only need one reader do not pay for NumPy and pyarrow up front.
_EXPORTS = {
    "IndicatorSet": "citysoc.engine.indicators",
    "Rejection": "citysoc.engine.indicators",
    "load_indicator_files": "citysoc.engine.indicators",
    "match_domains": "citysoc.engine.match",
    "match_ips": "citysoc.engine.match",
    "match_ranges": "citysoc.engine.match",
    "match_records": "citysoc.engine.match",
    "match_table": "citysoc.engine.match",
    "summarize": "citysoc.engine.summary",
}

__all__ = [
    "IndicatorSet",
    "Rejection",
    "load_indicator_files",
    "match_domains",
    "match_ips",
    "match_ranges",
    "match_records",
    "match_table",
    "summarize",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'citysoc.engine' has no attribute {name!r}")
