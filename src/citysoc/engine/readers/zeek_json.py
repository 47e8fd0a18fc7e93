"""Zeek JSON Streaming Logs (one JSON object per line, `id.orig_h`/`id.resp_h`).

Fields are found with RE2 on each line rather than a JSON parser, so one broken line cannot
fail its block. The domain comes from `query`, `host` or `server_name`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from citysoc.engine.readers import _common, base

NAME = "zeek_json"
LABEL = "Zeek JSON log"
HAS_DOMAINS = True
FIELD_SEP = ""
HEADER_FIRST = False
ADDRESS_KEYS: tuple[str, ...] = ()
PLAIN_ROWS = False
PLAIN_UNSET_DASH = False
JSON_LINES = True


def sniff(head: list[str]) -> bool:
    return any(line.lstrip().startswith("{") and '"id.orig_h"' in line for line in head)


def parse_lines(lines: pa.Array, state: base.ReaderState) -> pa.Table:
    time = _common.json_field(lines, "ts")
    src = _common.json_field(lines, r"id\.orig_h")
    dst = _common.json_field(lines, r"id\.resp_h")
    domain = _common.json_field(lines, "query|host|server_name")
    reason = base.reason_if(
        pc.invert(pc.starts_with(pc.utf8_ltrim_whitespace(lines), "{")), "not a JSON object"
    )
    reason = pc.coalesce(reason, _common.truncated_json(lines))
    reason = pc.coalesce(reason, base.no_address_reason(src, dst, domain))
    return base.result(time, src, dst, domain, reason)


def read(path: str, **options: object) -> Iterator[pa.Table]:
    """Stream record tables (record, time, src, dst, domain) from a plain or gzip file."""
    return base.read_records(path, sys.modules[__name__], options)


is_header = base.default_is_header
field_values = base.no_plain_rows
