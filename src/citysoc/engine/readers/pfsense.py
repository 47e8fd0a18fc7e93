"""pfSense/OPNsense `filterlog` CSV in BSD-syslog or RFC 5424 framing.

Field 9 is the IP version; IPv4 addresses are fields 19-20, IPv6 fields 16-17 (1-based,
as in the pfSense filterlog format documentation).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from citysoc.engine.readers import _common, base

NAME = "pfsense"
LABEL = "pfSense / OPNsense filterlog"
HAS_DOMAINS = False
FIELD_SEP = ""
HEADER_FIRST = False
JSON_LINES = False
ADDRESS_KEYS: tuple[str, ...] = ()
PLAIN_ROWS = False
PLAIN_UNSET_DASH = False
BODY = (
    r"filterlog(?:\[\d+\])?:?\s+(?:\d+\s+-\s+(?:-|\[[^\]]*\])\s+)?"
    r"(?P<csv>\d*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,.*)$"
)


def sniff(head: list[str]) -> bool:
    return any("filterlog" in line for line in head)


def _csv_field(body: pa.Array, index: int) -> pa.Array:
    struct = base.extract(body, rf"^(?:[^,]*,){{{index}}}(?P<v>[^,]*)")
    return base.field_of(struct, "v")


def parse_lines(lines: pa.Array, state: base.ReaderState) -> pa.Table:
    body = base.field_of(base.extract(lines, BODY), "csv")
    version = _csv_field(body, 8)
    is6 = pc.fill_null(pc.equal(version, "6"), False)
    src = pc.if_else(is6, _csv_field(body, 15), _csv_field(body, 18))
    dst = pc.if_else(is6, _csv_field(body, 16), _csv_field(body, 19))
    known = pc.fill_null(pc.is_in(version, pa.array(["4", "6"])), False)
    src = pc.if_else(known, src, base.NULL_STR)
    dst = pc.if_else(known, dst, base.NULL_STR)
    reason = base.reason_if(pc.is_null(body), "not a filterlog line")
    reason = pc.coalesce(
        reason, base.reason_if(pc.invert(known), "filterlog line without IP version 4 or 6")
    )
    reason = pc.coalesce(reason, base.no_address_reason(src, dst))
    return base.result(_common.syslog_time(lines), src, dst, None, reason)


def read(path: str, **options: object) -> Iterator[pa.Table]:
    """Stream record tables (record, time, src, dst, domain) from a plain or gzip file."""
    return base.read_records(path, sys.modules[__name__], options)


is_header = base.default_is_header
field_values = base.no_plain_rows
