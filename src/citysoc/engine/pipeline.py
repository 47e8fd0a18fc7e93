"""Stream log files through a reader and the matcher in bounded memory.

Per block of `BLOCK_SIZE` bytes: (1) the compiled prefilter keeps only lines that might hit
(see `kernel`); (2) the format reader turns those lines into record columns; (3) the exact
matcher lists the hits. Without Numba, or with `prefilter=False`, every line takes steps
2-3, which also validates every line (each malformed line is then counted as rejected;
with the prefilter a malformed line whose addresses all miss is counted as read).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import numpy as np
import pyarrow as pa

from citysoc.engine import kernel
from citysoc.engine.indicators import IndicatorSet
from citysoc.engine.match import match_records
from citysoc.engine.readers import base

Progress = Callable[[int], None]
HEADER_BYTES = 64 << 10


def match_file(
    indicators: IndicatorSet,
    path: str | Path,
    reader: ModuleType,
    options: dict | None = None,
    stats: base.ReadStats | None = None,
    prefilter: bool = True,
    block_size: int = base.BLOCK_SIZE,
    progress: Progress | None = None,
) -> Iterator[pa.Table]:
    """Yield hit tables (see `match.match_table`) for one log file, block by block.

    `stats` is updated in place: records read, rejected (with the first few kept), bytes.
    """
    stats = stats if stats is not None else base.ReadStats()
    state = base.ReaderState(options=dict(options or {}))
    source = str(path)
    use_kernel = prefilter and kernel.available()
    check_domains = bool(reader.HAS_DOMAINS and indicators.has_domains)
    first_is_header = hasattr(reader, "is_header") and reader.NAME == "csv"
    first = 1
    with base.open_binary(path) as stream:
        for block in base.iter_blocks(stream, block_size):
            if use_kernel:
                if first == 1:
                    _learn_headers(block, reader, state)
                starts, ends, idx, skipped, n_lines = kernel.prefilter(
                    block,
                    indicators,
                    check_domains,
                    first_is_header and first == 1,
                    _shape(reader, state),
                )
                stats.records += skipped
                lines = base.gather_lines(block, starts, ends)
                numbers = first + idx
            else:
                lines = base.lines_of(block)
                numbers = first + np.arange(len(lines))
                n_lines = len(lines)
            first += n_lines
            lines, numbers = base.split_block_lines(lines, numbers, reader, state)
            records = base.parse(reader, lines, numbers, state, stats, source)
            done = base.raw_size(stream)
            if progress is not None:
                progress(done - stats.bytes_done)
            stats.bytes_done = done
            if records.num_rows == 0:
                continue
            records = records.append_column("log", pa.array([source] * records.num_rows))
            hits, bad = match_records(indicators, records)
            if bad.any():
                _reject_bad_addresses(records, bad, stats, source)
            if hits.num_rows:
                yield hits


def _learn_headers(block: bytes, reader: ModuleType, state: base.ReaderState) -> None:
    """Let the reader see the file's header lines before the kernel needs the field count."""
    if hasattr(reader, "is_header"):
        cut = block.rfind(b"\n", 0, HEADER_BYTES)
        head = block[: cut + 1] if cut >= 0 else block
        reader.is_header(base.lines_of(head), state)


def _shape(reader: ModuleType, state: base.ReaderState) -> kernel.Shape:
    sep = getattr(reader, "FIELD_SEP", "")
    n_fields = state.values.get("n_fields")
    if sep and n_fields:
        positions = state.values.get("address_fields", ())
        f1, f2 = (list(positions) + [-1, -1])[:2]
        fd = state.values.get("domain_field", -1)
        return kernel.Shape(sep=ord(sep), n_sep=n_fields - 1, f1=f1, f2=f2, fd=fd)
    return kernel.Shape(json=getattr(reader, "JSON_LINES", False))


def _reject_bad_addresses(
    records: pa.Table, bad: np.ndarray, stats: base.ReadStats, source: str
) -> None:
    """Rows read but with a malformed address: move them from read-ok to rejected."""
    rows = pa.array(np.flatnonzero(bad))
    numbers = records.column("record").take(rows).to_numpy()
    src = records.column("src").take(rows).to_pylist()[: base.MAX_KEPT_REJECTS]
    dst = records.column("dst").take(rows).to_pylist()[: base.MAX_KEPT_REJECTS]
    texts = [f"src={s} dst={d}" for s, d in zip(src, dst, strict=True)]
    reasons = ["source or destination is not an IP address"] * len(texts)
    stats.reject(source, numbers, reasons, texts)


def match_files(
    indicators: IndicatorSet,
    paths: list[str | Path],
    readers: list[ModuleType],
    options: dict | None = None,
    stats: base.ReadStats | None = None,
    prefilter: bool = True,
    progress: Progress | None = None,
) -> pa.Table:
    """All hits of several files as one table (hits are few; records are never all held)."""
    tables = []
    for path, reader in zip(paths, readers, strict=True):
        tables.extend(
            match_file(indicators, path, reader, options, stats, prefilter, progress=progress)
        )
    if not tables:
        return empty_hits(indicators)
    return pa.concat_tables(tables, promote_options="permissive")


def empty_hits(indicators: IndicatorSet) -> pa.Table:
    records = pa.table(
        {
            c: pa.array([], pa.int64() if c == "record" else pa.string())
            for c in ("record", "time", "src", "dst", "domain", "log")
        }
    )
    return match_records(indicators, records)[0]
