"""Shared streaming machinery for the log readers.

A file (plain or gzip, told by its magic bytes) is read in blocks of `BLOCK_SIZE` bytes cut
at line ends, so memory stays bounded whatever the file size. A block becomes one Arrow
string array of lines without copying, and each reader turns those lines into the record
columns (`time`, `src`, `dst`, `domain`) with vectorised Arrow compute (RE2 regex
extraction, splitting), never a Python loop per line.

A reader module has `NAME`, `LABEL`, `HAS_DOMAINS`, `sniff(head) -> bool`,
`parse_lines(lines, state) -> pa.Table` (columns time, src, dst, domain, reason; `reason`
non-null marks a rejected line) and optionally `is_header(lines, state) -> mask` for
header lines it needs to read (Zeek `#fields`, CSV header row). `read(path)` in each module
is `read_records(path, module)`.
"""

from __future__ import annotations

import gzip
import io
import mmap
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

BLOCK_SIZE = 16 << 20
MAX_KEPT_REJECTS = 20
# A null made without converting a Python value: pa.scalar(None) would import pandas.
NULL_STR = pa.nulls(1, pa.string())[0]


class ReaderError(ValueError):
    """The input cannot be read at all (missing file, unknown format, no header)."""


@dataclass
class ReadStats:
    records: int = 0
    rejected: int = 0
    bytes_done: int = 0
    rejects: list[tuple[str, int, str, str]] = field(
        default_factory=list
    )  # file, line, reason, text

    def reject(
        self,
        source: str,
        lines: np.ndarray,
        reasons: Sequence[str],
        texts: Sequence[str | None],
    ) -> None:
        """Count len(lines) rejects; keep the first few (reasons/texts may be truncated)."""
        self.rejected += len(lines)
        room = max(MAX_KEPT_REJECTS - len(self.rejects), 0)
        kept = zip(lines[:room].tolist(), reasons[:room], texts[:room], strict=False)
        for line, reason, text in kept:
            self.rejects.append((source, int(line), reason, (text or "")[:200]))


def open_binary(path: str | Path) -> BinaryIO:
    """Open a log file; gzip is recognised by its magic bytes, not its name."""
    path = Path(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise ReaderError(f"cannot open {path}: {exc.strerror}") from exc
    magic = fh.read(2)
    fh.seek(0)
    if magic == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=fh, mode="rb")  # type: ignore[return-value]
    return fh


def raw_size(stream: BinaryIO) -> int:
    """Bytes consumed from the file on disk (compressed bytes for gzip), for progress."""
    inner = getattr(stream, "fileobj", None)
    return (inner or stream).tell()


def map_blocks(
    stream: BinaryIO, block_size: int = BLOCK_SIZE
) -> Iterator[bytes | bytearray | memoryview]:
    """`iter_blocks` for a plain file, as views of a read-only memory map: no copy at all.

    Reading 1.6 GB into fresh buffers cost about 0.65 s of one core; mapping costs a
    quarter of that in page faults. Pages two blocks back are handed back (the caller
    holds one block while the next is scanned), so resident memory stays bounded. A
    stream that cannot be mapped (gzip, a pipe) is read with `iter_blocks`.
    """
    if isinstance(stream, gzip.GzipFile):  # its fileno() is the compressed file's
        yield from iter_blocks(stream, block_size)
        return
    try:
        size = os.fstat(stream.fileno()).st_size
        mm = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) if size else None
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        yield from iter_blocks(stream, block_size)
        return
    if mm is None:
        return
    view = memoryview(mm)
    start = released = before = 0
    while start < size:
        end = min(start + block_size, size)
        if end < size:
            newline = mm.find(b"\n", end - 1)
            end = size if newline < 0 else newline + 1
        stream.seek(end)  # for raw_size (progress)
        cut = before // mmap.PAGESIZE * mmap.PAGESIZE
        if cut > released:
            mm.madvise(mmap.MADV_DONTNEED, released, cut - released)
            released = cut
        before = start
        if view[end - 1] != 10:
            yield bytes(view[start:end]) + b"\n"  # a last line without its newline
        else:
            yield view[start:end]
        start = end


def iter_blocks(stream: BinaryIO, block_size: int = BLOCK_SIZE) -> Iterator[bytearray]:
    """Yield blocks of about block_size bytes, each ending at a newline.

    Each block is read in place into its own buffer and completed with the rest of its
    last line: no carry-over concatenation, so a block's bytes are copied once (by read).
    """
    while True:
        block = bytearray(block_size)
        # typing.BinaryIO leaves out readinto; the streams open_binary returns (a buffered
        # file, a GzipFile) have it.
        n = stream.readinto(block)  # type: ignore[attr-defined]
        if not n:
            return
        if n < block_size:
            del block[n:]
        if block[-1] != 10:
            block += stream.readline()  # the rest of the last line
            if block[-1] != 10:
                block += b"\n"  # a last line without its newline
        yield block


def lines_of(block: bytes | bytearray | memoryview) -> pa.Array:
    """One string per line (no CR/LF) over the block's bytes; invalid UTF-8 is replaced."""
    data = np.frombuffer(block, dtype=np.uint8)
    ends = np.flatnonzero(data == 10)
    if len(ends) == 0 or ends[-1] != len(data) - 1:
        ends = np.append(ends, len(data))
    offsets = np.empty(len(ends) + 1, dtype=np.int64)
    offsets[0] = 0
    offsets[1:] = ends + 1
    offsets[-1] = min(offsets[-1], len(data))
    return _string_array(block, offsets)


def gather_lines(
    block: bytes | bytearray | memoryview | np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> pa.Array:
    """Copy the chosen lines [starts, ends) of a block into one string array."""
    data = np.frombuffer(block, dtype=np.uint8)
    lengths = (ends - starts).astype(np.int64)
    total = int(lengths.sum())
    offsets = np.zeros(len(starts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    from citysoc.engine import kernel  # the compiled kernels are optional

    if kernel.available():
        out = np.empty(total, dtype=np.uint8)
        kernel.gather(data, starts.astype(np.int64), offsets, out)
        return _string_array(out, offsets)
    idx = np.repeat(starts.astype(np.int64) - offsets[:-1], lengths) + np.arange(total)
    return _string_array(data[idx].tobytes(), offsets)


def _string_array(
    buf: bytes | bytearray | memoryview | np.ndarray, offsets: np.ndarray
) -> pa.Array:
    arr = pa.Array.from_buffers(
        pa.large_string(), len(offsets) - 1, [None, pa.py_buffer(offsets), pa.py_buffer(buf)]
    )
    try:
        arr.validate(full=True)
    except pa.ArrowInvalid:
        # Invalid UTF-8 somewhere in the block: decode with replacement (rare, so slow is ok).
        text = [
            bytes(buf[offsets[k] : offsets[k + 1]]).decode("utf-8", errors="replace")
            for k in range(len(offsets) - 1)
        ]
        arr = pa.array(text, pa.large_string())
    return pc.utf8_rtrim(arr.cast(pa.string()), characters="\r\n")


def empty_result(n: int) -> dict[str, pa.Array]:
    return {name: pa.nulls(n, pa.string()) for name in ("time", "src", "dst", "domain", "reason")}


def extract(lines: pa.Array, pattern: str) -> pa.StructArray:
    """RE2 named-group extraction; lines that do not match give null structs."""
    return pc.extract_regex(lines, pattern)


def field_of(struct: pa.StructArray, name: str) -> pa.Array:
    values = pc.struct_field(struct, name)
    return pc.if_else(pc.equal(values, ""), NULL_STR, values)


def reason_if(mask: pa.Array, reason: str, current: pa.Array | None = None) -> pa.Array:
    """Set `reason` where mask is true and no earlier reason was given."""
    mask = pc.fill_null(mask, True)
    new = pc.if_else(mask, pa.scalar(reason), NULL_STR)
    return new if current is None else pc.coalesce(current, new)


def no_address_reason(src: pa.Array, dst: pa.Array, domain: pa.Array | None = None) -> pa.Array:
    missing = pc.and_(pc.is_null(src), pc.is_null(dst))
    if domain is not None:
        missing = pc.and_(missing, pc.is_null(domain))
    return reason_if(missing, "no source or destination address")


def result(
    time: pa.Array | None,
    src: pa.Array | None,
    dst: pa.Array | None,
    domain: pa.Array | None,
    reason: pa.Array,
) -> pa.Table:
    n = len(reason)

    def s(a: pa.Array | None) -> pa.Array:
        if a is None:
            return pa.nulls(n, pa.string())
        return a.cast(pa.string())

    return pa.table(
        {"time": s(time), "src": s(src), "dst": s(dst), "domain": s(domain), "reason": s(reason)}
    )


@dataclass
class ReaderState:
    """Per-file state a reader learns from its header lines; the pipeline reads the same
    fields to shape the compiled prefilter (delimited formats only)."""

    options: dict[str, object]
    n_fields: int | None = None  # fields per line, from the header (delimited formats)
    positions: dict[str, int] | None = None  # role (time, src, dst, domain) -> field index
    address_fields: list[int] = field(default_factory=list)  # fields holding addresses
    domain_field: int = -1  # field holding a DNS name, -1 for none
    header_fields: list[str] | None = None  # the header's field names as written
    header_text: str | None = None  # the header line itself (CSV), to drop later copies
    seen_first_line: bool = False


def default_is_header(lines: pa.Array, state: ReaderState) -> np.ndarray:
    return np.asarray(
        pc.fill_null(pc.starts_with(lines, "#"), False).to_numpy(zero_copy_only=False), dtype=bool
    )


def split_block_lines(
    lines: pa.Array, first_line: np.ndarray | int, module: ReaderModule, state: ReaderState
) -> tuple[pa.Array, np.ndarray]:
    """Drop blank and header lines (letting the reader learn from headers)."""
    n = len(lines)
    numbers = first_line + np.arange(n) if isinstance(first_line, int) else first_line
    blank = pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(lines)), 0).to_numpy(
        zero_copy_only=False
    )
    is_header = module.is_header(lines, state)
    keep = ~blank & ~is_header
    state.seen_first_line = True
    return lines.filter(pa.array(keep)), numbers[keep]


def read_records(
    path: str | Path,
    module: ReaderModule,
    options: Mapping[str, object] | None = None,
    stats: ReadStats | None = None,
    block_size: int = BLOCK_SIZE,
) -> Iterator[pa.Table]:
    """Stream a log file as record tables (record, time, src, dst, domain).

    Rejected lines are counted in `stats` (first few kept with line number and reason).
    """
    stats = stats if stats is not None else ReadStats()
    state = ReaderState(options=dict(options or {}))
    source = str(path)
    first = 1
    position = 0
    with open_binary(path) as stream:
        for block in iter_blocks(stream, block_size):
            all_lines = lines_of(block)
            lines, numbers = split_block_lines(all_lines, first, module, state)
            first += len(all_lines)
            table = parse(module, lines, numbers, state, stats, source)
            done = raw_size(stream)
            stats.bytes_done += done - position
            position = done
            if table.num_rows:
                yield table


def parse(
    module: ReaderModule,
    lines: pa.Array,
    numbers: np.ndarray,
    state: ReaderState,
    stats: ReadStats,
    source: str,
) -> pa.Table:
    """Parse record lines; count records and rejects; return the accepted records."""
    if len(lines) == 0:
        return pa.table({"record": pa.array([], pa.int64())})
    parsed = module.parse_lines(lines, state)
    reason = parsed.column("reason")
    bad = pc.is_valid(reason).to_numpy(zero_copy_only=False)
    stats.records += len(lines)
    if bad.any():
        idx = pa.array(np.flatnonzero(bad))
        stats.reject(
            source,
            numbers[bad],
            reason.take(idx).to_pylist()[:MAX_KEPT_REJECTS],
            lines.take(idx).to_pylist()[:MAX_KEPT_REJECTS],
        )
    good = pa.array(~bad)
    out = parsed.drop_columns(["reason"]).filter(good)
    return out.add_column(0, "record", pa.array(numbers[~bad], pa.int64()))


def no_plain_rows(values: pa.Array) -> pa.Array:
    """`field_values` of a reader whose hit lines always go through `parse_lines`."""
    raise NotImplementedError("this reader has no plain rows (PLAIN_ROWS is False)")


# The shape every entry module of this registry has; the registry in __init__ is typed with it
# so mypy checks each module conforms (a module matches a Protocol of module-level names),
# and tests/engine/test_reader_contract.py checks every member is there. The pipeline reads
# these names only: no attribute is probed, no reader is special-cased by name.
class ReaderModule(Protocol):
    NAME: str  # registry key, what `--format` takes
    LABEL: str
    HAS_DOMAINS: bool  # the format carries DNS names, so domain indicators can match
    # What the compiled prefilter (`kernel.Shape`) needs to know of a line:
    FIELD_SEP: str  # delimited formats: the separator ("" otherwise; fields from the header)
    HEADER_FIRST: bool  # the first non-blank line is a header, never a record (CSV)
    JSON_LINES: bool  # one JSON object per line: only the address/name keys are looked at
    ADDRESS_KEYS: tuple[str, ...]  # `SRC=`-style keys whose values must be addresses
    # Plain hit lines of delimited formats skip `parse_lines` (see `kernel.plain_rows`):
    PLAIN_ROWS: bool  # `field_values` finishes a field of such a line
    PLAIN_UNSET_DASH: bool  # `-` is an unset address field (Zeek), not a bad address

    def sniff(self, head: list[str]) -> bool:
        """True when the file's first non-blank lines look like this format."""

    def is_header(self, lines: pa.Array, state: ReaderState) -> np.ndarray:
        """Mask of header lines (not records); learns from them into `state`."""

    def parse_lines(self, lines: pa.Array, state: ReaderState) -> pa.Table:
        """Columns time, src, dst, domain, reason for one block of lines."""

    def field_values(self, values: pa.Array) -> pa.Array:
        """A field of a plain line as `parse_lines` would give it (PLAIN_ROWS only)."""

    def read(self, path: str, **options: object) -> Iterator[pa.Table]:
        """The file's records, block by block (`base.read_records(path, module)`)."""
