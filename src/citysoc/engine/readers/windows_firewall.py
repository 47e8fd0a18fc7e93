"""Windows Firewall `pfirewall.log` (W3C extended format, `#Fields:` header).

Default field order is `date time action protocol src-ip dst-ip ...`; a `#Fields:` line
overrides it. The time is `date time` in the log's local time.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from citysoc.engine.readers import _common, base

NAME = "windows_firewall"
LABEL = "Windows Firewall pfirewall.log"
HAS_DOMAINS = False
HEADER_FIRST = False
JSON_LINES = False
ADDRESS_KEYS: tuple[str, ...] = ()
PLAIN_ROWS = False
PLAIN_UNSET_DASH = False
FIELD_SEP = " "
DEFAULT_FIELDS = ["date", "time", "action", "protocol", "src-ip", "dst-ip", "src-port", "dst-port"]


def sniff(head: list[str]) -> bool:
    return any(
        "Windows Firewall" in line or line.startswith("#Fields: date time action") for line in head
    )


def is_header(lines: pa.Array, state: base.ReaderState) -> np.ndarray:
    mask = base.default_is_header(lines, state)
    for k in np.flatnonzero(mask).tolist():
        text = lines[k].as_py()
        if text.startswith("#Fields:"):
            fields = state.header_fields = text.split()[1:]
            state.n_fields = len(fields)
            state.address_fields = [fields.index(f) for f in ("src-ip", "dst-ip") if f in fields]
    return mask


def parse_lines(lines: pa.Array, state: base.ReaderState) -> pa.Table:
    fields = state.header_fields or DEFAULT_FIELDS
    wanted = {"date": "date", "time": "time", "src": "src-ip", "dst": "dst-ip"}
    positions = {role: fields.index(name) for role, name in wanted.items() if name in fields}
    cols, matched = _common.delimited_fields(lines, positions, " ")
    time = None
    if "date" in cols and "time" in cols:
        time = pc.binary_join_element_wise(cols["date"], cols["time"], " ")
    reason = base.reason_if(pc.invert(matched), "fewer fields than the #Fields header")
    reason = pc.coalesce(reason, base.no_address_reason(cols.get("src"), cols.get("dst")))
    return base.result(time, cols.get("src"), cols.get("dst"), None, reason)


def read(path: str, **options: object) -> Iterator[pa.Table]:
    """Stream record tables (record, time, src, dst, domain) from a plain or gzip file."""
    return base.read_records(path, sys.modules[__name__], options)


field_values = base.no_plain_rows
