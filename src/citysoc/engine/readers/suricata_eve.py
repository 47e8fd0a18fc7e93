"""Suricata EVE JSON (NDJSON): `src_ip`/`dest_ip` and, as domains, DNS `rrname`
(queries and answers), HTTP `hostname` and TLS `sni`.

A line without `event_type` is rejected; events that carry no address (`stats`) are read
and simply cannot match.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from citysoc.engine.readers import _common, base

NAME = "suricata_eve"
LABEL = "Suricata EVE JSON"
HAS_DOMAINS = True
FIELD_SEP = ""
HEADER_FIRST = False
ADDRESS_KEYS: tuple[str, ...] = ()
PLAIN_ROWS = False
PLAIN_UNSET_DASH = False
JSON_LINES = True


def sniff(head: list[str]) -> bool:
    return any(line.lstrip().startswith("{") and '"event_type"' in line for line in head)


def parse_lines(lines: pa.Array, state: base.ReaderState) -> pa.Table:
    time = _common.json_field(lines, "timestamp")
    src = _common.json_field(lines, "src_ip")
    dst = _common.json_field(lines, "dest_ip")
    domain = _common.json_field(lines, "rrname|hostname|sni")
    event = _common.json_field(lines, "event_type")
    reason = base.reason_if(pc.is_null(event), "not an EVE event (no event_type)")
    reason = pc.coalesce(reason, _common.truncated_json(lines))
    return base.result(time, src, dst, domain, reason)


def read(path: str, **options: object) -> Iterator[pa.Table]:
    """Stream record tables (record, time, src, dst, domain) from a plain or gzip file."""
    return base.read_records(path, sys.modules[__name__], options)


is_header = base.default_is_header
field_values = base.no_plain_rows
