"""dnsmasq / Pi-hole log: `query[A] name from client` (src = client), `forwarded name to
upstream` (dst = upstream), `reply|cached|… name is answer` (dst = answer when it is an
address). The name is the domain. Other dnsmasq lines (start-up, config) are rejected."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from citysoc.engine.readers import _common, base

NAME = "dnsmasq"
LABEL = "dnsmasq / Pi-hole log"
HAS_DOMAINS = True
FIELD_SEP = ""
HEADER_FIRST = False
JSON_LINES = False
ADDRESS_KEYS: tuple[str, ...] = ()
PLAIN_ROWS = False
PLAIN_UNSET_DASH = False
LINE = r"dnsmasq(?:\[\d+\])?: (?P<action>.*?)\s*(?P<name>\S+) (?P<rel>from|to|is) (?P<addr>\S+)\s*$"


def sniff(head: list[str]) -> bool:
    return any("dnsmasq[" in line or "dnsmasq:" in line for line in head)


def parse_lines(lines: pa.Array, state: base.ReaderState) -> pa.Table:
    struct = base.extract(lines, LINE)
    rel = base.field_of(struct, "rel")
    address = base.field_of(struct, "addr")
    looks_ip = pc.fill_null(pc.match_substring_regex(address, r"^[0-9A-Fa-f:.]+$"), False)
    is_from = pc.fill_null(pc.equal(rel, "from"), False)
    src = pc.if_else(is_from, address, base.NULL_STR)
    dst = pc.if_else(pc.and_(pc.invert(is_from), looks_ip), address, base.NULL_STR)
    reason = base.reason_if(pc.is_null(struct), "not a dnsmasq query/reply line")
    return base.result(_common.syslog_time(lines), src, dst, base.field_of(struct, "name"), reason)


def read(path: str, **options: object) -> Iterator[pa.Table]:
    """Stream record tables (record, time, src, dst, domain) from a plain or gzip file."""
    return base.read_records(path, sys.modules[__name__], options)


is_header = base.default_is_header
field_values = base.no_plain_rows
