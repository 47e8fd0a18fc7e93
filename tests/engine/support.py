"""Helpers shared by the engine tests: reading fixtures and comparing match paths."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from citysoc.engine import IndicatorSet, pipeline
from citysoc.engine.readers import READERS, base
from tests import samples

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "engine"
# Documentation ranges and names used by the hand-written fixtures.
TEST_INDICATORS = [
    "198.51.100.0/24",
    "203.0.113.9",
    "evil.example",
    "2001:db8:ffff::/48",
    "2001:db8::5",
]


def shared_sample(name: str) -> Path:
    return samples.sample(name)


def read(name: str, path: Path, **options) -> tuple[list[dict], base.ReadStats]:
    stats = base.ReadStats()
    rows = [
        r for t in base.read_records(path, READERS[name], options, stats) for r in t.to_pylist()
    ]
    return rows, stats


def indicator_set(values: list[str] | None = None) -> IndicatorSet:
    values = TEST_INDICATORS if values is None else values
    return IndicatorSet.from_arrow(
        pa.table({"indicator": values, "family": ["test"] * len(values)})
    )


def hits(name: str, path: Path, iset: IndicatorSet, prefilter: bool, **options):
    stats = base.ReadStats()
    table = pipeline.match_files(iset, [path], [READERS[name]], options, stats, prefilter=prefilter)
    pairs = sorted(
        zip(table.column("record").to_pylist(), table.column("indicator").to_pylist(), strict=True)
    )
    return pairs, stats


def assert_paths_agree(name: str, path: Path, iset: IndicatorSet | None = None, **options) -> list:
    """The compiled prefilter and the exact path give the same hits and record count."""
    iset = iset or indicator_set()
    fast, fast_stats = hits(name, path, iset, True, **options)
    slow, slow_stats = hits(name, path, iset, False, **options)
    assert fast == slow
    assert fast_stats.records == slow_stats.records
    assert fast_stats.rejected == slow_stats.rejected
    return slow
