"""BIND 9 query/security log (`client @0x… 192.0.2.1#53 (name): query: name IN A`), bare or
in syslog (`named[pid]:`). src is the client; the domain is the queried name; dst the
server address in the trailing `(192.0.2.53)` when logged."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from citysoc.engine.readers import _common, base

NAME = "bind"
LABEL = "BIND query log"
HAS_DOMAINS = True
FIELD_SEP = ""
HEADER_FIRST = False
JSON_LINES = False
ADDRESS_KEYS: tuple[str, ...] = ()
PLAIN_ROWS = False
PLAIN_UNSET_DASH = False
LINE = (
    r"client (?:@0x[0-9a-fA-F]+ )?(?P<src>[0-9A-Fa-f:.]+)#\d+"
    r"(?: \((?P<name>[^)]*)\))?:"
)
QUERY = r"query: (?P<q>\S+) \S+ \S+ \S*(?: \((?P<dst>[0-9A-Fa-f:.]+)\))?"
TIME = r"(?P<time>\d\d-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d(?:\.\d+)?)"


def sniff(head: list[str]) -> bool:
    return any(re.search(LINE, line) for line in head)


def parse_lines(lines: pa.Array, state: base.ReaderState) -> pa.Table:
    struct = base.extract(lines, LINE)
    query = base.extract(lines, QUERY)
    domain = pc.coalesce(base.field_of(query, "q"), base.field_of(struct, "name"))
    time = pc.coalesce(base.field_of(base.extract(lines, TIME), "time"), _common.syslog_time(lines))
    reason = base.reason_if(pc.is_null(struct), "not a BIND client query line")
    return base.result(
        time, base.field_of(struct, "src"), base.field_of(query, "dst"), domain, reason
    )


def read(path: str, **options: object) -> Iterator[pa.Table]:
    """Stream record tables (record, time, src, dst, domain) from a plain or gzip file."""
    return base.read_records(path, sys.modules[__name__], options)


is_header = base.default_is_header
field_values = base.no_plain_rows
