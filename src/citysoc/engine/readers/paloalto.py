"""Palo Alto PAN-OS CSV logs (TRAFFIC, THREAT...), bare or behind a syslog prefix.

Fields (PAN-OS syslog field order): receive time 2, type 4, source 8, destination 9; for
THREAT/url the URL (field 32) gives the domain.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from citysoc.engine.readers import _common, base

NAME = "paloalto"
LABEL = "Palo Alto PAN-OS CSV"
HAS_DOMAINS = True
FIELD_SEP = ""
HEADER_FIRST = False
JSON_LINES = False
ADDRESS_KEYS: tuple[str, ...] = ()
PLAIN_ROWS = False
PLAIN_UNSET_DASH = False
HEAD = (
    r"(?:^|[\s,])\d+,(?P<time>\d{4}/\d\d/\d\d \d\d:\d\d:\d\d),[^,]*,(?P<type>[A-Z]+),"
    r"(?P<subtype>[^,]*),[^,]*,[^,]*,(?P<src>[^,]*),(?P<dst>[^,]*),"
    r"(?:(?:\"[^\"]*\"|[^,]*),){22}\"?(?P<misc>[^\",]*)"
)
SHORT = (
    r"(?:^|[\s,])\d+,(?P<time>\d{4}/\d\d/\d\d \d\d:\d\d:\d\d),[^,]*,(?P<type>[A-Z]+),"
    r"(?P<subtype>[^,]*),[^,]*,[^,]*,(?P<src>[^,]*),(?P<dst>[^,]*),"
)


def sniff(head: list[str]) -> bool:
    return any(",THREAT," in line or ",TRAFFIC," in line for line in head)


def parse_lines(lines: pa.Array, state: base.ReaderState) -> pa.Table:
    struct = base.extract(lines, SHORT)
    long = base.extract(lines, HEAD)
    is_url = pc.fill_null(pc.equal(base.field_of(struct, "subtype"), "url"), False)
    domain = pc.if_else(is_url, _common.url_host(base.field_of(long, "misc")), base.NULL_STR)
    src, dst = base.field_of(struct, "src"), base.field_of(struct, "dst")
    reason = base.reason_if(pc.is_null(struct), "not a PAN-OS CSV log line")
    reason = pc.coalesce(reason, base.no_address_reason(src, dst))
    return base.result(base.field_of(struct, "time"), src, dst, domain, reason)


def read(path: str, **options: object) -> Iterator[pa.Table]:
    """Stream record tables (record, time, src, dst, domain) from a plain or gzip file."""
    return base.read_records(path, sys.modules[__name__], options)


is_header = base.default_is_header
field_values = base.no_plain_rows
