"""iptables/netfilter LOG lines in syslog (`SRC=`, `DST=`), including Proxmox firewall
logs; time from the syslog prefix or Proxmox's `20/Jun/2022:13:09:14 +0200`."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from citysoc.engine.readers import _common, base

NAME = "iptables"
LABEL = "iptables / netfilter syslog"
HAS_DOMAINS = False
FIELD_SEP = ""
HEADER_FIRST = False
JSON_LINES = False
PLAIN_ROWS = False
PLAIN_UNSET_DASH = False
ADDRESS_KEYS: tuple[str, ...] = ("SRC=", "DST=")  # the prefilter checks these values (see kernel)
PROXMOX_TIME = r"(?P<time>\d+/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4})"


def sniff(head: list[str]) -> bool:
    return any(" SRC=" in line and " DST=" in line for line in head)


def parse_lines(lines: pa.Array, state: base.ReaderState) -> pa.Table:
    src = base.field_of(base.extract(lines, r"\bSRC=(?P<v>\S*)"), "v")
    dst = base.field_of(base.extract(lines, r"\bDST=(?P<v>\S*)"), "v")
    time = pc.coalesce(
        _common.syslog_time(lines), base.field_of(base.extract(lines, PROXMOX_TIME), "time")
    )
    reason = base.reason_if(pc.and_(pc.is_null(src), pc.is_null(dst)), "no SRC= or DST= field")
    return base.result(time, src, dst, None, reason)


def read(path: str, **options: object) -> Iterator[pa.Table]:
    """Stream record tables (record, time, src, dst, domain) from a plain or gzip file."""
    return base.read_records(path, sys.modules[__name__], options)


is_header = base.default_is_header
field_values = base.no_plain_rows
