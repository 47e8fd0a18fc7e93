"""Zeek TSV logs (conn, dns, http, ssl...): columns are read from the `#fields` header.

Addresses come from `id.orig_h` (src) and `id.resp_h` (dst); the domain from `query`
(dns.log), `host` (http.log) or `server_name` (ssl.log) when present. `-` and
`(empty)` are no value. A line with fewer fields than the header is rejected.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from citysoc.engine.readers import _common, base

NAME = "zeek_tsv"
LABEL = "Zeek TSV log (#fields header)"
HAS_DOMAINS = True
HEADER_FIRST = False
JSON_LINES = False
ADDRESS_KEYS: tuple[str, ...] = ()
PLAIN_ROWS = True
FIELD_SEP = "\t"
ROLES = {
    "time": ("ts",),
    "src": ("id.orig_h",),
    "dst": ("id.resp_h",),
    "domain": ("query", "host", "server_name"),
}


def sniff(head: list[str]) -> bool:
    return any(line.startswith(("#separator", "#fields\t")) for line in head)


def is_header(lines: pa.Array, state: base.ReaderState) -> np.ndarray:
    mask = base.default_is_header(lines, state)
    for k in np.flatnonzero(mask).tolist():
        text = lines[k].as_py()
        if text.startswith("#fields"):
            fields = text.split("\t")[1:]
            state.header_fields = fields
            state.n_fields = len(fields)
            state.positions = {
                role: fields.index(name)
                for role, names in ROLES.items()
                for name in names[::-1]
                if name in fields
            }
            state.address_fields = [
                fields.index(f) for f in ("id.orig_h", "id.resp_h") if f in fields
            ]
            state.domain_field = state.positions.get("domain", -1)
    return mask


def parse_lines(lines: pa.Array, state: base.ReaderState) -> pa.Table:
    if state.positions is None:
        reason = pa.array(["no #fields header before this line"] * len(lines))
        return base.result(None, None, None, None, reason)
    cols, matched = _common.delimited_fields(lines, state.positions, "\t")
    reason = base.reason_if(pc.invert(matched), "fewer fields than the #fields header")
    src, dst = cols.get("src"), cols.get("dst")
    if src is not None and dst is not None:
        reason = pc.coalesce(reason, base.no_address_reason(src, dst, cols.get("domain")))
    return base.result(cols.get("time"), src, dst, cols.get("domain"), reason)


# Plain lines (see `kernel.plain_rows`) skip `parse_lines`: their fields are taken from the
# block and finished by `field_values`; `-` and `(empty)` are unset address fields too.
PLAIN_UNSET_DASH = True


def field_values(values: pa.Array) -> pa.Array:
    """A field of a plain line as `parse_lines` gives it: empty, `-`, `(empty)` are null."""
    unset = pc.is_in(values, pa.array(["", "-", "(empty)"]))
    return pc.if_else(unset, base.NULL_STR, values)


def read(path: str, **options: object) -> Iterator[pa.Table]:
    """Stream record tables (record, time, src, dst, domain) from a plain or gzip file."""
    return base.read_records(path, sys.modules[__name__], options)
