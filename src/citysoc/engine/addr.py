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


def as_string_array(values: pa.Array | pa.ChunkedArray | list) -> pa.Array:
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


def _bool(mask: pa.Array) -> np.ndarray:
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False)


def parse_ipv4(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Return (is_ipv4, value) for each string; value is 0 where is_ipv4 is False."""
    values = as_string_array(values)
    from citysoc.engine import kernel  # here: importing addr must not load Numba

    if kernel.available():
        return kernel.parse_ipv4_column(values)
    ok = _bool(pc.match_substring_regex(values, IPV4_RE))
    out = np.zeros(len(values), dtype=np.uint32)
    if ok.any():
        parts = pc.list_flatten(pc.split_pattern(values.filter(pa.array(ok)), "."))
        octets = parts.cast(pa.uint32()).to_numpy().reshape(-1, 4)
        out[ok] = (octets[:, 0] << 24) | (octets[:, 1] << 16) | (octets[:, 2] << 8) | octets[:, 3]
    return ok, out


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
