"""Building a set, compiled: the entries of a list column read from its buffers (whether
to refang, IPv4, IPv6, the key column; `kernel/c/entries.c`), and the IPv4 elementary
segments with the prefilter's tables in one pass (`kernel/c/build.c`).

Both give exactly what the Arrow/NumPy path gives (`entries.parse_entries`,
`segments.build_segments`, `segments.v4_bitmap`, `columns.v4_tables`): a property test
compares them on random lists.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from citysoc.engine.kernel import native

BITMAP_BYTES = 1 << 21  # one bit per /24

V4Entries = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
V4Index = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _column(values: pa.Array) -> tuple[np.ndarray, np.ndarray, bool, np.ndarray]:
    """(bytes, offsets, 64-bit offsets?, valid) of a string array, without a copy."""
    n = len(values)
    wide = pa.types.is_large_string(values.type)
    _, off_buf, data_buf = values.buffers()
    width = np.int64 if wide else np.int32
    offsets = np.frombuffer(off_buf, dtype=width)[values.offset : values.offset + n + 1]
    if values.null_count:
        valid = np.asarray(values.is_valid().to_numpy(zero_copy_only=False), dtype=np.bool_)
    else:
        valid = np.ones(n, dtype=np.bool_)
    data = np.frombuffer(data_buf, np.uint8) if data_buf is not None else np.zeros(1, np.uint8)
    return data, np.ascontiguousarray(offsets), wide, valid


def text_flags(values: pa.Array) -> tuple[bool, bool]:
    """(edge, marks) of a string array: edge when some value starts or ends with a byte
    that is not printable ASCII (it may need trimming), marks when some value holds `[` or
    `(` or starts with `hxxp` or `fxp` (it may be defanged), and always with edge (trimming
    may bring a `hxxp` to the front). False, False: refanging returns the values as they
    are."""
    if len(values) == 0:
        return False, False
    data, offsets, wide, valid = _column(values)
    edge, marks = native.scan_module().text_flags(data, offsets, wide, valid)
    return bool(edge), bool(marks)


def parse_v4_entries(values: pa.Array) -> V4Entries:
    """(kind, version, first, last) per entry of a string array: kind 0 (`ipv4`) or 1
    (`cidr`) and version 4 for a plain IPv4 address or an IPv4 CIDR without host bits,
    kind -1 and version 0 (first = last = 0) for every other entry."""
    n = len(values)
    kinds = np.empty(n, dtype=np.int8)
    version = np.empty(n, dtype=np.int8)
    first = np.empty(n, dtype=np.uint64)
    last = np.empty(n, dtype=np.uint64)
    if n == 0:
        return kinds, version, first, last
    data, offsets, wide, valid = _column(values)
    native.scan_module().parse_v4_entries(data, offsets, wide, valid, kinds, version, first, last)
    return kinds, version, first, last


def parse_v6_entries(
    values: pa.Array, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, pa.Array]:
    """(kind, first, last, key) of chosen rows of a string array, as `entries._plain_v6`
    reads them: kind 3 (`ipv6`) or 1 (`cidr`) with the 17-byte keys of the first and last
    address and the key text, or -1 for a row left to `classify` (then an empty key)."""
    m = len(rows)
    kinds = np.empty(m, dtype=np.int8)
    first = np.empty((m, 17), dtype=np.uint8)
    last = np.empty((m, 17), dtype=np.uint8)
    key_data = np.empty(max(64 * m, 1), dtype=np.uint8)
    key_offsets = np.empty(m + 1, dtype=np.int32)
    if m:
        data, offsets, wide, valid = _column(values)
        native.scan_module().parse_v6_entries(
            data,
            offsets,
            wide,
            valid,
            np.ascontiguousarray(rows, dtype=np.int64),
            kinds,
            first,
            last,
            key_data,
            key_offsets,
        )
    else:
        key_offsets[0] = 0
    keys = pa.StringArray.from_buffers(m, pa.py_buffer(key_offsets), pa.py_buffer(key_data))
    return kinds, first.reshape(-1).view("S17"), last.reshape(-1).view("S17"), keys


def splice_strings(text: pa.Array, rows: np.ndarray, values: pa.Array) -> pa.Array | None:
    """`text` with text[rows[j]] replaced by values[j] (rows ascending and not null in
    text; values a string array without nulls), as `pc.replace_with_mask` makes it, in
    one copy; None when the result would not fit 32-bit offsets."""
    n = len(text)
    data, offsets, wide, valid = _column(text)
    vdata, voffsets, vwide, _ = _column(values)
    if vwide:
        return None
    rows = np.ascontiguousarray(rows, dtype=np.int64)
    kept = int(offsets[-1] - offsets[0]) - int((offsets[rows + 1] - offsets[rows]).sum())
    total = kept + int(voffsets[-1] - voffsets[0])
    if total >= (1 << 31) - 1:  # (bytes under a null slot count: an upper bound)
        return None
    out_offsets = np.empty(n + 1, dtype=np.int32)
    out_data = np.empty(max(total, 1), dtype=np.uint8)
    native.scan_module().splice_strings(
        data, offsets, wide, valid, rows, vdata, voffsets, out_offsets, out_data
    )
    bitmap = None
    if text.null_count:
        bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.StringArray.from_buffers(
        n, pa.py_buffer(out_offsets), pa.py_buffer(out_data), bitmap, text.null_count
    )


def v4_rows(
    version: np.ndarray, first: np.ndarray, last: np.ndarray, in_place: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, starts, ends) of the entries of version 4, in row order (rows int32). With
    `in_place`, starts and ends are written over the start of `first` and `last` (uint64,
    contiguous), which are then used up: no fresh memory for two more arrays."""
    n = len(version)
    rows = np.empty(n, dtype=np.int32)
    first = np.ascontiguousarray(first, dtype=np.uint64)
    last = np.ascontiguousarray(last, dtype=np.uint64)
    starts = first if in_place else np.empty(n, dtype=np.uint64)
    ends = last if in_place else np.empty(n, dtype=np.uint64)
    m = native.scan_module().v4_rows(
        np.ascontiguousarray(version, dtype=np.int8), first, last, rows, starts, ends
    )
    return rows[:m], starts[:m], ends[:m]


def v4_index(starts: np.ndarray, ends: np.ndarray, owners: np.ndarray) -> V4Index:
    """(bounds, offsets, ids, covered, by16, bitmap) of IPv4 intervals (uint64, ends
    inclusive; owners int32): the elementary segments as `segments.build_segments` cuts and
    lists them, and the prefilter's tables as `columns.v4_tables` and `segments.v4_bitmap`
    make them."""
    n = len(starts)
    starts = np.ascontiguousarray(starts, dtype=np.uint64)
    ends = np.ascontiguousarray(ends, dtype=np.uint64)
    order = np.empty(n, dtype=np.int32)
    first = np.empty(n, dtype=np.int32)
    end = np.empty(n, dtype=np.int32)
    bounds = np.empty(2 * n + 1, dtype=np.uint64)  # pages past the last bound stay unused
    scan = native.scan_module()
    nseg, pairs = scan.v4_bounds(starts, ends, order, first, end, bounds)
    bounds = bounds[:nseg]
    offsets = np.empty(nseg + 1, dtype=np.int64)
    ids = np.empty(pairs, dtype=np.int32)
    covered = np.empty(nseg, dtype=np.uint8)
    by16 = np.empty(65537, dtype=np.int64)
    bitmap = np.zeros(BITMAP_BYTES, dtype=np.uint8)
    scan.v4_lists(
        order,
        first,
        end,
        np.ascontiguousarray(owners, dtype=np.int32),
        bounds,
        offsets,
        ids,
        covered,
        by16,
        bitmap,
    )
    return bounds, offsets, ids, covered, by16, bitmap
