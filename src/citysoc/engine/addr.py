"""Vectorised address and domain parsing over Arrow string arrays.

IPv4 is parsed with one RE2 pass and one Arrow cast, never per row. IPv6 is the side path:
it is rare in logs and in lists, so it goes through `ipaddress` one value at a time, only for
values that contain a colon. IPv4-mapped IPv6 (`::ffff:192.0.2.1`) is folded into IPv4 so
that a mapped address in a log matches an IPv4 indicator.
"""

from __future__ import annotations

import ipaddress

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
IPV4_RE = rf"^{_OCTET}(?:\.{_OCTET}){{3}}$"
V6_BYTES = 17  # one leading zero byte: see indicators.V6_DTYPE


def as_string_array(values: pa.Array | pa.ChunkedArray | list[str | None]) -> pa.Array:
    """Return a single-chunk Arrow string array (large_string is narrowed)."""
    if isinstance(values, list):
        values = pa.array(values, pa.string())
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks else pa.array([], pa.string())
    if pa.types.is_large_string(values.type) or pa.types.is_dictionary(values.type):
        values = values.cast(pa.string())
    elif not pa.types.is_string(values.type):
        values = pc.cast(values, pa.string())
    return values


def _bool(mask: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


def parse_ipv4(
    values: pa.Array | pa.ChunkedArray | list[str | None],
) -> tuple[np.ndarray, np.ndarray]:
    """Return (is_ipv4, value) for each string; value is 0 where is_ipv4 is False."""
    values = as_string_array(values)
    from citysoc.engine import kernel  # here: `import citysoc.engine.addr` stays light

    if kernel.available():
        result: tuple[np.ndarray, np.ndarray] = kernel.parse_ipv4_column(values)
        return result
    return parse_ipv4_plain(values)


_WIDTH = 15  # "255.255.255.255"


_CHUNK = 1 << 17  # rows per pass: the temporaries stay in cache and are reused


def parse_ipv4_plain(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """`parse_ipv4` with Arrow and NumPy alone, for a process without the compiled kernels.

    RE2 checks IPV4_RE in one pass; the matching values are left-padded to 15 bytes by
    Arrow, so their bytes form an (n, 15) matrix in which the three dots of each row give
    where its four octets end, and the octets are read with a few gathers.
    """
    values = as_string_array(values)
    n = len(values)
    ok = _bool(pc.match_substring_regex(values, IPV4_RE)) if n else np.zeros(0, dtype=bool)
    out = np.zeros(n, dtype=np.uint32)
    rows = np.flatnonzero(ok)
    if len(rows) == 0:
        return ok, out
    cand = values if len(rows) == n else values.filter(pa.array(ok))
    parsed = np.empty(len(rows), dtype=np.uint32)
    for lo in range(0, len(rows), _CHUNK):
        part = cand.slice(lo, _CHUNK)
        parsed[lo : lo + len(part)] = _dotted_quads(pc.ascii_lpad(part, _WIDTH, " "))
    out[rows] = parsed
    return ok, out


def _dotted_quads(padded: pa.Array) -> np.ndarray:
    """The values of valid IPv4 strings left-padded to 15 bytes."""
    n = len(padded)
    _, off_buf, data_buf = padded.buffers()
    first = int(np.frombuffer(off_buf, dtype=np.int32, count=1, offset=padded.offset * 4)[0])
    body = np.frombuffer(data_buf, dtype=np.uint8, count=n * _WIDTH, offset=first)
    flat = np.empty(len(body) + 4, dtype=np.uint8)  # 4 spaces first: row 0 reads back 3
    flat[:4] = ord(" ")
    flat[4:] = body
    # Octet k ends just before dot k (the last one at the row's end) and has 1-3 digits:
    # gather the three bytes before each end (uint8 gathers are cheap); a digit is
    # 0x30-0x39, a dot (0x2e) or space (0x20) is not, and the high nibble tells which.
    ends = np.empty((n, 4), dtype=np.int64)
    ends[:, :3] = np.flatnonzero(flat == ord(".")).reshape(-1, 3)
    ends[:, 3] = np.arange(1, n + 1, dtype=np.int64) * _WIDTH + 4
    at = ends.ravel()
    ones = flat[at - 1] & np.uint8(0xF)
    tens = flat[at - 2]
    hundreds = flat[at - 3]
    has_tens = (tens & np.uint8(0xF0)) == 0x30
    has_hundreds = has_tens & ((hundreds & np.uint8(0xF0)) == 0x30)
    octet = ones.astype(np.uint16)
    octet += (tens & np.uint8(0xF)) * has_tens.astype(np.uint16) * np.uint16(10)
    octet += (hundreds & np.uint8(0xF)) * has_hundreds.astype(np.uint16) * np.uint16(100)
    quad = octet.astype(np.uint32).reshape(n, 4)
    return np.asarray((quad[:, 0] << 24) | (quad[:, 1] << 16) | (quad[:, 2] << 8) | quad[:, 3])


def v6_key(value: int) -> bytes:
    return value.to_bytes(V6_BYTES, "big")


def parse_addresses(
    values: pa.Array,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parse a column of addresses.

    Returns (is_v4, v4_values, v6_rows, v6_keys, bad) where v6_keys are 16-byte big-endian
    keys (numpy S16, whose byte order is numeric order) and `bad` marks non-null values that
    are not addresses at all.
    """
    values = as_string_array(values)
    is_v4, v4 = parse_ipv4(values)
    present = _bool(pc.invert(pc.is_null(values)))
    rest = np.flatnonzero(present & ~is_v4)
    bad = np.zeros(len(values), dtype=bool)
    v6_rows: list[int] = []
    v6_keys: list[bytes] = []
    if len(rest):
        # Side path: only values that are not plain IPv4 reach Python.
        texts = values.take(pa.array(rest)).to_pylist()
        for row, text in zip(rest.tolist(), texts, strict=True):
            version, number = _parse_other(text)
            if version == 4:
                is_v4[row] = True
                v4[row] = number
            elif version == 6:
                v6_rows.append(row)
                v6_keys.append(v6_key(number))
            elif text not in ("", "-", "(empty)"):
                bad[row] = True
    return (
        is_v4,
        v4,
        np.asarray(v6_rows, dtype=np.int64),
        np.asarray(v6_keys, dtype=f"S{V6_BYTES}"),
        bad,
    )


def _parse_other(text: str) -> tuple[int, int]:
    """(4|6, integer) for an IPv6 or mapped address, (0, 0) for anything else."""
    text = text.strip().strip("[]")
    if ":" not in text:
        return 0, 0
    try:
        addr = ipaddress.IPv6Address(text.split("%", 1)[0])
    except ValueError:
        return 0, 0
    if addr.ipv4_mapped is not None:
        return 4, int(addr.ipv4_mapped)
    return 6, int(addr)


def normalize_domains(values: pa.Array) -> pa.Array:
    """Lower-case, drop a trailing dot and surrounding spaces; IDN names become punycode.

    Values that cannot be names (empty, containing spaces, or plain IPs) become null.
    """
    values = as_string_array(values)
    out = pc.utf8_rtrim(pc.utf8_trim_whitespace(pc.utf8_lower(values)), characters=".")
    ascii_ok = _bool(pc.string_is_ascii(out))
    present = _bool(pc.invert(pc.is_null(out)))
    non_ascii = np.flatnonzero(present & ~ascii_ok)
    if len(non_ascii):
        # Side path: only non-ASCII names reach Python's IDNA codec.
        py = out.to_pylist()
        for row in non_ascii.tolist():
            py[row] = idna_or_none(py[row])
        out = pa.array(py, pa.string())
    valid = pc.match_substring_regex(out, r"^[a-z0-9_*-][a-z0-9_.*-]*$")
    return pc.if_else(pc.fill_null(valid, False), out, pa.scalar(None, pa.string()))


def idna_or_none(name: str) -> str | None:
    try:
        return name.encode("idna").decode("ascii")
    except UnicodeError:
        return None
