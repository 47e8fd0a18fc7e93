"""Compiled scanning kernels over raw log bytes, with the exact path as fallback.

The kernels are C (`citysoc.engine._scan`, built by `pip install`): importing this package
loads a small shared library, not a compiler, so a run pays no start-up for them.

- `prefilter` (in `prefilter.py`) reads each raw block once, on both cores, and keeps only
  the lines that may hit; every other line is counted as read and skipped;
- `plain_rows`, `plain_hits`, `split_fields`, `gather`, `parse_ipv4_column`, `v4_segments` (in
  `columns.py`) speed up the exact path: field positions of hit lines (and, with
  `plain_hits`, the segment of each of their addresses), IPv4 parsing of an
  Arrow column from its buffers, the segment search through the /16 index;
- `text_flags`, `parse_v4_entries`, `parse_v6_entries`, `splice_strings`, `v4_rows`,
  `v4_index` (in `build.py`) build a set: whether a list column needs refanging, its IPv4
  and IPv6 entries, the key column, and the IPv4 segments with the prefilter's tables in
  one pass;
- `build_domain_bloom`, `domain_hash_index`, `domain_suffixes` (in `domains.py`) are the
  domain tables and the lookup of every label level of a name in one pass.

Without the compiled module (or with `CITYSOC_ENGINE_NO_KERNEL=1`), `available()` is
False and every caller takes the exact, vectorised Arrow/NumPy path, with the same
answers: the prefilter can only change speed.
"""

from __future__ import annotations

from citysoc.engine.kernel.build import (
    parse_v4_entries,
    parse_v6_entries,
    splice_strings,
    text_flags,
    v4_index,
    v4_rows,
)
from citysoc.engine.kernel.columns import (
    gather,
    parse_ipv4_column,
    plain_hits,
    plain_rows,
    split_fields,
    v4_segments,
    v4_tables,
)
from citysoc.engine.kernel.domains import (
    BLOOM_BITS,
    build_domain_bloom,
    domain_hash_index,
    domain_suffixes,
)
from citysoc.engine.kernel.native import available, scan_module
from citysoc.engine.kernel.prefilter import Shape, prefilter

__all__ = [
    "BLOOM_BITS",
    "Shape",
    "available",
    "build_domain_bloom",
    "domain_hash_index",
    "domain_suffixes",
    "gather",
    "parse_v4_entries",
    "parse_v6_entries",
    "parse_ipv4_column",
    "plain_hits",
    "plain_rows",
    "prefilter",
    "scan_module",
    "splice_strings",
    "split_fields",
    "text_flags",
    "v4_index",
    "v4_rows",
    "v4_segments",
    "v4_tables",
]
