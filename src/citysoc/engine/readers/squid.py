"""Squid native `access.log`: client address (src), peer address after `HIER_*/` (dst)
and the URL's host (domain; `host:port` for CONNECT). Time is epoch seconds."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from citysoc.engine.readers import _common, base

NAME = "squid"
LABEL = "Squid access.log"
HAS_DOMAINS = True
FIELD_SEP = ""
HEADER_FIRST = False
JSON_LINES = False
ADDRESS_KEYS: tuple[str, ...] = ()
PLAIN_ROWS = False
PLAIN_UNSET_DASH = False
LINE = (
    r"^(?P<time>\d+(?:\.\d+)?)\s+\d+\s+(?P<src>\S+)\s+\S+/\d+\s+\d+\s+\S+\s+(?P<url>\S+)"
    r"\s+\S+\s+[A-Z_]+/(?P<peer>\S+)"
)


def sniff(head: list[str]) -> bool:
    return any(re.match(LINE, line) for line in head)


def parse_lines(lines: pa.Array, state: base.ReaderState) -> pa.Table:
    struct = base.extract(lines, LINE)
    src = base.field_of(struct, "src")
    peer = base.field_of(struct, "peer")
    dst = pc.if_else(pc.fill_null(pc.equal(peer, "-"), False), base.NULL_STR, peer)
    domain = _common.url_host(base.field_of(struct, "url"))
    reason = base.reason_if(pc.is_null(struct), "not a Squid native access.log line")
    return base.result(base.field_of(struct, "time"), src, dst, domain, reason)


def read(path: str, **options: object) -> Iterator[pa.Table]:
    """Stream record tables (record, time, src, dst, domain) from a plain or gzip file."""
    return base.read_records(path, sys.modules[__name__], options)


is_header = base.default_is_header
field_values = base.no_plain_rows
