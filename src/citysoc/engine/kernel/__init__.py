"""Compiled scanning kernels over raw log bytes, with the exact path as fallback.

The kernels are C (`citysoc.engine._scan`, built by `pip install`): importing this package
loads a small shared library, not a compiler, so a run pays no start-up for them.

- `prefilter` (in `prefilter.py`) reads each raw block once, on both cores, and keeps only
  the lines that may hit; every other line is counted as read and skipped;
- `plain_rows`, `split_fields`, `gather`, `parse_ipv4_column`, `v4_segments` (in
  `columns.py`) speed up the exact path: field positions of hit lines, IPv4 parsing of an
  Arrow column from its buffers, the segment search through the /16 index;
- `build_domain_bloom`, `domain_hash_index`, `domain_suffixes` (in `domains.py`) are the
  domain tables and the lookup of every label level of a name in one pass.

Without the compiled module (or with `CITYSOC_ENGINE_NO_KERNEL=1`), `available()` is
False and every caller takes the exact, vectorised Arrow/NumPy path, with the same
answers: the prefilter can only change speed.
"""

from __future__ import annotations

import os
from types import ModuleType


def _load() -> ModuleType | None:
    # CITYSOC_ENGINE_NO_NUMBA is the name this switch had when the kernels were Numba.
    if os.environ.get("CITYSOC_ENGINE_NO_KERNEL") or os.environ.get("CITYSOC_ENGINE_NO_NUMBA"):
        return None
    try:
        from citysoc.engine import _scan
    except ImportError:  # pragma: no cover - an install without a C compiler
        return None
    return _scan


SCAN = _load()


def available() -> bool:
    """True when the compiled kernels are there (the prefilter and the fast column paths)."""
    return SCAN is not None


def scan_module() -> ModuleType:
    """The compiled module; callers check `available()` first."""
    if SCAN is None:
        raise RuntimeError("the compiled engine kernels are not available")
    return SCAN


from citysoc.engine.kernel.columns import (  # noqa: E402 - after SCAN, which they use
    gather,
    parse_ipv4_column,
    plain_rows,
    split_fields,
    v4_segments,
    v4_tables,  # noqa: E402
)
from citysoc.engine.kernel.domains import (  # noqa: E402
    BLOOM_BITS,
    build_domain_bloom,
    domain_hash_index,
    domain_suffixes,
)
from citysoc.engine.kernel.prefilter import Shape, prefilter  # noqa: E402

__all__ = [
    "BLOOM_BITS",
    "Shape",
    "available",
    "build_domain_bloom",
    "domain_hash_index",
    "domain_suffixes",
    "gather",
    "parse_ipv4_column",
    "plain_rows",
    "prefilter",
    "scan_module",
    "split_fields",
    "v4_segments",
    "v4_tables",
]
