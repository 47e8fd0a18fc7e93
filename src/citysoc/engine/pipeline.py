"""Stream log files through a reader and the matcher in bounded memory.

Per block of `BLOCK_SIZE` bytes: (1) the compiled prefilter keeps only lines that might hit
(see `kernel`); (2) the format reader turns those lines into record columns; (3) the exact
matcher lists the hits; kept lines of CSV and Zeek TSV that are plain (see `_take_plain`)
skip steps 2-3 and are matched from the segments the kernel found for their addresses.
Without the compiled kernels, or with `prefilter=False`, every line takes steps 2-3, which
also validates every line. With the prefilter, a line is skipped only when
every address field the reader extracts (delimited fields, JSON keys, a reader's
`ADDRESS_KEYS` such as `SRC=`) holds a well-formed, unlisted IPv4 address, so malformed
lines still reach the reader and are counted as rejected with their line numbers. Readers
without such fields (pfSense, Palo Alto, squid, dnsmasq, bind) use the generic token scan,
where a malformed address next to a valid unlisted one still counts as read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from citysoc.engine import kernel
from citysoc.engine.indicators import IndicatorSet
from citysoc.engine.kernel.prefilter import Found
from citysoc.engine.match import (
    hit_table,
    lookup_domains,
    match_records,
    one_per_pair,
    segment_pairs,
)
from citysoc.engine.readers import base

Progress = Callable[[int], None]
HEADER_BYTES = 64 << 10


def match_file(
    indicators: IndicatorSet,
    path: str | Path,
    reader: base.ReaderModule,
    options: Mapping[str, object] | None = None,
    stats: base.ReadStats | None = None,
    prefilter: bool = True,
    block_size: int = base.BLOCK_SIZE,
    progress: Progress | None = None,
    metadata: bool = True,
) -> Iterator[pa.Table]:
    """Yield hit tables (see `match.match_table`) for one log file, block by block.

    `stats` is updated in place: records read, rejected (with the first few kept), bytes.
    `metadata=False` leaves the list's metadata columns out of the hits (counting only).
    """
    stats = stats if stats is not None else base.ReadStats()
    state = base.ReaderState(options=dict(options or {}))
    source = str(path)
    use_kernel = prefilter and kernel.available()
    check_domains = bool(reader.HAS_DOMAINS and indicators.has_domains)
    first = 1
    position = 0  # bytes of this file consumed so far (compressed bytes for gzip)
    with base.open_binary(path) as stream:
        scanned: Iterator[tuple[bytes | bytearray | memoryview, Found | None]]
        if use_kernel:
            scanned = _scan_ahead(stream, block_size, indicators, reader, state, check_domains)
        else:
            scanned = ((block, None) for block in base.iter_blocks(stream, block_size))
        for block, found in scanned:
            plain = None
            if found is not None:
                starts, ends, idx, skipped, n_lines = found
                stats.records += skipped
                plain, starts, ends, idx = _take_plain(
                    block, starts, ends, idx, reader, state, indicators
                )
                lines = base.gather_lines(block, starts, ends)
                numbers = first + idx
            else:
                lines = base.lines_of(block)
                numbers = first + np.arange(len(lines))
                n_lines = len(lines)
            lines, numbers = base.split_block_lines(lines, numbers, reader, state)
            records = base.parse(reader, lines, numbers, state, stats, source)
            tables = []
            if plain is not None:
                stats.records += len(plain.idx)
                hits = _plain_hits(indicators, block, plain, reader, first, source, metadata)
                tables.append(hits)
            first += n_lines
            done = base.raw_size(stream)
            if progress is not None:
                progress(done - position)
            stats.bytes_done += done - position  # summed over files, for progress
            position = done
            if records.num_rows:
                records = records.append_column("log", pa.array([source] * records.num_rows))
                hits, bad = match_records(indicators, records, metadata)
                if bad.any():
                    _reject_bad_addresses(records, bad, stats, source)
                tables.append(hits)
            tables = [t for t in tables if t.num_rows]
            if len(tables) > 1:
                # Records never share a line: ordering by record keeps each one's hits in
                # indicator order, as one match over all of them gives them.
                both = pa.concat_tables(tables).combine_chunks()
                tables = [both.take(pc.sort_indices(both.column("record")))]
            if tables:
                yield tables[0]


ROLES = ("time", "src", "dst", "domain")


@dataclass(frozen=True)
class Plain:
    """Plain kept lines of a block (see `kernel.plain_hits`): line indexes, field starts
    and ends per role (ROLES), and the covered IPv4 segment per role (-1: none)."""

    idx: np.ndarray
    fs: np.ndarray
    fe: np.ndarray
    segs: np.ndarray
    has_role: tuple[bool, ...]


def _take_plain(  # noqa: PLR0913 - the kept lines, how to read them, what to look up
    block: bytes | bytearray | memoryview,
    starts: np.ndarray,
    ends: np.ndarray,
    idx: np.ndarray,
    reader: base.ReaderModule,
    state: base.ReaderState,
    indicators: IndicatorSet,
) -> tuple[Plain | None, np.ndarray, np.ndarray, np.ndarray]:
    """Split the kept lines of a delimited block: plain lines (see `kernel.plain_rows`) are
    matched from the field positions and the segments the kernel found (`_plain_hits`),
    without the reader; the rest go to it.

    Returns (the plain lines, or None; the other lines' starts, ends, indexes)."""
    positions, n_fields = state.positions, state.n_fields
    if not reader.PLAIN_ROWS or not positions or not n_fields or not len(starts):
        return None, starts, ends, idx
    wanted = [positions.get(role, -1) for role in ROLES]
    mask, fs, fe, segs = kernel.plain_hits(
        block,
        starts,
        ends,
        reader.FIELD_SEP,
        n_fields,
        wanted,
        [role in ("src", "dst") for role in ROLES],
        reader.PLAIN_UNSET_DASH,
        indicators,
    )
    # A header line in the block may change the field positions (a second Zeek `#fields`)
    # for the whole block, as the reader reads it: such a block goes to the reader whole.
    if not mask.any() or (np.frombuffer(block, np.uint8)[starts] == 35).any():
        return None, starts, ends, idx
    rest = ~mask
    plain = Plain(idx[mask], fs[:, mask], fe[:, mask], segs[:, mask], tuple(w >= 0 for w in wanted))
    return plain, starts[rest], ends[rest], idx[rest]


def _plain_hits(  # noqa: PLR0913 - the block, its plain lines and what the hits carry
    indicators: IndicatorSet,
    block: bytes | bytearray | memoryview,
    plain: Plain,
    reader: base.ReaderModule,
    first: int,
    source: str,
    metadata: bool,
) -> pa.Table:
    """Hits of plain lines, as `match_records` gives them for the same lines read by the
    reader: the address hits come from the segments the kernel found, and only the hit
    lines' fields are copied out of the block."""
    src, dst, domain = ROLES.index("src"), ROLES.index("dst"), ROLES.index("domain")
    rows, ids, codes = segment_pairs(indicators, [plain.segs[src], plain.segs[dst]])
    if plain.has_role[domain] and indicators.has_domains:
        names = _fields(block, plain, reader, domain, None)
        r, i = lookup_domains(indicators, names)
        rows.append(r)
        ids.append(i)
        codes.append(np.full(len(r), 2, dtype=np.int8))
    r, i, c = one_per_pair(np.concatenate(rows), np.concatenate(ids), np.concatenate(codes))
    new_row = np.ones(len(r), dtype=bool)  # r is sorted: a line's hits are together
    new_row[1:] = r[1:] != r[:-1]
    hit_rows = r[new_row]
    cols = {"record": pa.array(first + plain.idx[hit_rows], pa.int64())}
    for k, role in enumerate(ROLES):
        cols[role] = _fields(block, plain, reader, k, hit_rows)
    cols["log"] = pa.array([source] * len(hit_rows), pa.string())
    rows_in = np.cumsum(new_row) - 1  # each hit's line among the hit lines
    return hit_table(indicators, pa.table(cols), rows_in, i, c, metadata)


def _fields(
    block: bytes | bytearray | memoryview,
    plain: Plain,
    reader: base.ReaderModule,
    role: int,
    rows: np.ndarray | None,
) -> pa.Array:
    """One role's field of the chosen plain lines (all when rows is None), as the reader
    gives it (`field_values`); nulls for a role without a field."""
    fs, fe = plain.fs[role], plain.fe[role]
    if rows is not None:
        fs, fe = fs[rows], fe[rows]
    if not plain.has_role[role]:
        return pa.nulls(len(fs), pa.string())
    return reader.field_values(base.gather_lines(block, fs, fe))


_AHEAD: ThreadPoolExecutor | None = None


def _scan_ahead(  # noqa: PLR0913 - the file, its reader and what the prefilter looks for
    stream: BinaryIO,
    block_size: int,
    indicators: IndicatorSet,
    reader: base.ReaderModule,
    state: base.ReaderState,
    check_domains: bool,
) -> Iterator[tuple[bytes | bytearray | memoryview, Found]]:
    """Yield (block, prefilter result) while the next block is already being scanned.

    The kernel runs on both cores (GIL released) while this thread does the Arrow work
    for the previous block and reads/decompresses the next: the cores stay busy.
    """
    global _AHEAD
    if _AHEAD is None:
        _AHEAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="citysoc-ahead")
    blocks = base.map_blocks(stream, block_size)
    block = next(blocks, None)
    if block is None:
        return
    _learn_headers(block, reader, state)
    shape = _shape(reader, state)
    first_is_header = reader.HEADER_FIRST
    future = _AHEAD.submit(
        kernel.prefilter, block, indicators, check_domains, first_is_header, shape
    )
    while block is not None:
        following = next(blocks, None)
        found = future.result()
        if following is not None:
            future = _AHEAD.submit(
                kernel.prefilter, following, indicators, check_domains, False, shape
            )
        yield block, found
        block = following


def _learn_headers(
    block: bytes | bytearray | memoryview, reader: base.ReaderModule, state: base.ReaderState
) -> None:
    """Let the reader see the file's header lines before the kernel needs the field count."""
    head = bytes(block[:HEADER_BYTES])
    cut = head.rfind(b"\n")
    head = head[: cut + 1] if cut >= 0 else head
    reader.is_header(base.lines_of(head), state)


def _shape(reader: base.ReaderModule, state: base.ReaderState) -> kernel.Shape:
    sep, n_fields = reader.FIELD_SEP, state.n_fields
    if sep and n_fields:
        f1, f2 = ([*state.address_fields, -1, -1])[:2]
        return kernel.Shape(sep=ord(sep), n_sep=n_fields - 1, f1=f1, f2=f2, fd=state.domain_field)
    return kernel.Shape(json=reader.JSON_LINES, address_keys=reader.ADDRESS_KEYS)


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


def iter_hits(
    indicators: IndicatorSet,
    paths: list[str | Path],
    readers: list[base.ReaderModule],
    options: Mapping[str, object] | None = None,
    stats: base.ReadStats | None = None,
    prefilter: bool = True,
    progress: Progress | None = None,
    metadata: bool = True,
) -> Iterator[pa.Table]:
    """Hit tables of several files, block by block (nothing accumulates here)."""
    for path, reader in zip(paths, readers, strict=True):
        yield from match_file(
            indicators,
            path,
            reader,
            options,
            stats,
            prefilter,
            progress=progress,
            metadata=metadata,
        )


def match_files(
    indicators: IndicatorSet,
    paths: list[str | Path],
    readers: list[base.ReaderModule],
    options: Mapping[str, object] | None = None,
    stats: base.ReadStats | None = None,
    prefilter: bool = True,
    progress: Progress | None = None,
) -> pa.Table:
    """All hits of several files as one table (memory grows with the hits, not the logs)."""
    tables = list(iter_hits(indicators, paths, readers, options, stats, prefilter, progress))
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
