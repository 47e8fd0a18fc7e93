"""FortiGate key=value syslog (`srcip=`, `dstip=`; `remip=` for VPN events as source;
`hostname=`/`qname=` as domain; time from `date=` and `time=`)."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from citysoc.engine.readers import base

NAME = "fortigate"
LABEL = "FortiGate key=value log"
HAS_DOMAINS = True
FIELD_SEP = ""
HEADER_FIRST = False
JSON_LINES = False
PLAIN_ROWS = False
PLAIN_UNSET_DASH = False
# Checked by the prefilter (see kernel).
ADDRESS_KEYS: tuple[str, ...] = ("srcip=", "remip=", "dstip=")


def _kv(lines: pa.Array, key: str) -> pa.Array:
    struct = base.extract(lines, rf'(?:^|[\s>])(?:{key})="?(?P<v>[^"\s]*)')
    return base.field_of(struct, "v")


def sniff(head: list[str]) -> bool:
    return any(("logid=" in line or "devname=" in line) and "type=" in line for line in head)


def parse_lines(lines: pa.Array, state: base.ReaderState) -> pa.Table:
    src = pc.coalesce(_kv(lines, "srcip"), _kv(lines, "remip"))
    dst = _kv(lines, "dstip")
    domain = _kv(lines, "hostname|qname")
    date, clock = _kv(lines, "date"), _kv(lines, "time")
    time = pc.binary_join_element_wise(date, clock, " ")
    reason = base.reason_if(
        pc.and_(pc.is_null(src), pc.is_null(dst)), "no srcip, dstip or remip field"
    )
    return base.result(time, src, dst, domain, reason)


def read(path: str, **options: object) -> Iterator[pa.Table]:
    """Stream record tables (record, time, src, dst, domain) from a plain or gzip file."""
    return base.read_records(path, sys.modules[__name__], options)


is_header = base.default_is_header
field_values = base.no_plain_rows
