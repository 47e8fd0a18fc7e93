"""Column helpers of the exact path, compiled: IPv4 parsing of an Arrow column, the segment
search through the /16 index, copying chosen lines, splitting unquoted lines, and the field
positions of plain hit lines (which then skip the reader)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from citysoc.engine.kernel import native

V4Tables = native.V4Tables


def v4_tables(iset: native.CompiledSet) -> V4Tables:
    """(bitmap, segment bounds, segment covered?, /16 index) of a set's IPv4 segments, as
    the kernels take them; built once per set and saved with it (`IndicatorSet.save`)."""
    tables: V4Tables | None = iset._kernel_v4
    if tables is None:
        covered = (np.diff(iset.v4.offsets) > 0).astype(np.uint8)
        bounds = np.ascontiguousarray(iset.v4.bounds, dtype=np.uint64)
        by16 = np.searchsorted(bounds, np.arange(65537, dtype=np.uint64) << np.uint64(16))
        tables = (iset.v4_bitmap, bounds, covered, by16.astype(np.int64))
        iset._kernel_v4 = tables
    return tables


def _valid(values: pa.Array) -> np.ndarray:
    if values.null_count:
        return np.asarray(values.is_valid().to_numpy(zero_copy_only=False), dtype=np.bool_)
    return np.ones(len(values), dtype=np.bool_)


def _data(buffer: pa.Buffer | None) -> np.ndarray:
    return np.frombuffer(buffer, np.uint8) if buffer is not None else np.zeros(1, np.uint8)


def parse_ipv4_column(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(is_ipv4, value) of a string array, straight from its buffers (addr.IPV4_RE's rules:
    dotted quad, no leading zeros)."""
    n = len(values)
    ok = np.zeros(n, dtype=np.bool_)
    out = np.zeros(n, dtype=np.uint32)
    if n == 0:
        return ok, out
    wide = pa.types.is_large_string(values.type)
    _, off_buf, data_buf = values.buffers()
    width = np.int64 if wide else np.int32
    offsets = np.frombuffer(off_buf, dtype=width)[values.offset : values.offset + n + 1]
    native.scan_module().parse_ipv4_strings(
        _data(data_buf), np.ascontiguousarray(offsets), wide, _valid(values), ok, out
    )
    return ok, out


def v4_segments(iset: native.CompiledSet, values: np.ndarray) -> np.ndarray:
    """Elementary segment of each IPv4 value (as `RangeIndex.lookup`), via the /16 index."""
    _, bounds, _, by16 = v4_tables(iset)
    out = np.empty(len(values), dtype=np.int64)
    native.scan_module().v4_segments(
        np.ascontiguousarray(values, dtype=np.uint64), bounds, by16, out
    )
    return out


def gather(data: np.ndarray, starts: np.ndarray, offsets: np.ndarray, out: np.ndarray) -> None:
    """Copy line k (data[starts[k]:], offsets[k + 1] - offsets[k] bytes) to out[offsets[k]:]."""
    native.scan_module().gather(
        data,
        np.ascontiguousarray(starts, dtype=np.int64),
        np.ascontiguousarray(offsets, dtype=np.int64),
        out,
    )


def split_fields(
    lines: pa.Array, sep: str, n_fields: int, wanted: list[int]
) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray], np.ndarray]:
    """Split unquoted lines at `sep`: (right field count?, starts, ends per wanted field,
    data bytes). Positions index the returned bytes; a missing field is empty."""
    n = len(lines)
    _, off_buf, data_buf = lines.buffers()
    width = np.int64 if pa.types.is_large_string(lines.type) else np.int32
    offsets = np.frombuffer(off_buf, dtype=width)[lines.offset : lines.offset + n + 1]
    data = _data(data_buf)
    starts = np.zeros((len(wanted), n), dtype=np.int64)
    ends = np.zeros((len(wanted), n), dtype=np.int64)
    good = np.zeros(n, dtype=np.bool_)
    want = np.asarray(wanted, dtype=np.int64)
    native.scan_module().split_fields(
        data, offsets.astype(np.int64), ord(sep), n_fields, want, starts, ends, good
    )
    return good, list(starts), list(ends), data


def plain_rows(  # noqa: PLR0913 - the shape of a delimited line, spelled out
    block: bytes | bytearray | memoryview,
    starts: np.ndarray,
    ends: np.ndarray,
    sep: str,
    n_fields: int,
    wanted: list[int],
    addr_roles: list[bool],
    dash: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(plain mask, field starts, field ends) of the kept lines of a block.

    Plain: not a `#` line, exactly n_fields fields, no quote or CR anywhere, every address
    field a dotted quad or unset (empty; with `dash` also `-` or `(empty)`) and at least
    one a dotted quad. Such a line reads the same in every reader path, so its fields can
    be taken from the block as they are. `wanted` lists a field position per role (-1: the
    role has no field); positions index the block; a role without a field gets empty ranges.
    """
    fs, fe, plain = _plain_outputs(len(starts), len(wanted))
    if len(starts):
        native.scan_module().plain_rows(
            *_plain_inputs(block, starts, ends, sep, n_fields, wanted, addr_roles, dash),
            fs,
            fe,
            plain,
        )
    return plain, fs, fe


def plain_hits(  # noqa: PLR0913 - plain_rows, and the set to look the addresses up in
    block: bytes | bytearray | memoryview,
    starts: np.ndarray,
    ends: np.ndarray,
    sep: str,
    n_fields: int,
    wanted: list[int],
    addr_roles: list[bool],
    dash: bool,
    iset: native.CompiledSet,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`plain_rows`, and per wanted field the covered IPv4 elementary segment of each plain
    line's address (-1: not an address role, unset, or not covered): the exact path's
    lookup (the /24 bitmap, then the segment in its /16), done while the line is split."""
    fs, fe, plain = _plain_outputs(len(starts), len(wanted))
    segs = np.full((len(wanted), len(starts)), -1, dtype=np.int64)
    if len(starts):
        bitmap, bounds, covered, by16 = v4_tables(iset)
        native.scan_module().plain_hits(
            *_plain_inputs(block, starts, ends, sep, n_fields, wanted, addr_roles, dash),
            fs,
            fe,
            plain,
            bitmap,
            bounds,
            covered,
            by16,
            segs,
        )
    return plain, fs, fe, segs


def _plain_inputs(  # noqa: PLR0913 - the kernel's arguments, in its order
    block: bytes | bytearray | memoryview,
    starts: np.ndarray,
    ends: np.ndarray,
    sep: str,
    n_fields: int,
    wanted: list[int],
    addr_roles: list[bool],
    dash: bool,
) -> tuple[object, ...]:
    """The arguments `plain_rows` and `plain_hits` share, as the kernels take them."""
    return (
        block,
        np.ascontiguousarray(starts, dtype=np.int64),
        np.ascontiguousarray(ends, dtype=np.int64),
        ord(sep),
        n_fields,
        np.asarray(wanted, dtype=np.int64),
        np.asarray(addr_roles, dtype=np.bool_),
        dash,
    )


def _plain_outputs(n: int, n_wanted: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Field starts, field ends (per wanted field and line) and the plain mask, zeroed."""
    return (
        np.zeros((n_wanted, n), dtype=np.int64),
        np.zeros((n_wanted, n), dtype=np.int64),
        np.zeros(n, dtype=np.bool_),
    )
