"""Helpers shared by several readers: syslog timestamps and delimited-field extraction."""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

from citysoc.engine.readers import base

# BSD syslog ("Sep 28 10:38:09"), RFC 5424/ISO 8601, or a leading "<PRI>" before either.
SYSLOG_TIME = (
    r"^(?:<\d+>\d? ?)?(?P<time>[A-Z][a-z]{2} +\d+ \d\d:\d\d:\d\d"
    r"|\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)"
)


def syslog_time(lines: pa.Array) -> pa.Array:
    return base.field_of(base.extract(lines, SYSLOG_TIME), "time")


def delimited_fields(
    lines: pa.Array, positions: dict[str, int], sep: str
) -> tuple[dict[str, pa.Array], pa.Array]:
    """Pick fields by position from separator-delimited lines with one RE2 pass.

    Returns ({name: values}, matched) where matched is false for lines with too few fields.
    Values `-` and `(empty)` (Zeek's and W3C's "no value") become null.
    """
    if not positions:
        return {}, pa.array([True] * len(lines))
    by_pos = {p: n for n, p in positions.items()}
    field = f"[^{re.escape(sep)}]*"
    parts = []
    for p in range(max(by_pos) + 1):
        name = by_pos.get(p)
        parts.append(f"(?P<{_group(name)}>{field})" if name else field)
    pattern = "^" + re.escape(sep).join(parts) if sep != "\t" else "^" + "\t".join(parts)
    struct = base.extract(lines, pattern)
    out = {}
    for name in positions:
        values = base.field_of(struct, _group(name))
        unset = pc.fill_null(pc.is_in(values, pa.array(["-", "(empty)"])), False)
        out[name] = pc.if_else(unset, base.NULL_STR, values)
    return out, pc.is_valid(struct)


def _group(name: str) -> str:
    return re.sub(r"\W", "_", name)


def json_field(lines: pa.Array, keys: str) -> pa.Array:
    """First value of any of the JSON keys (a regex alternation) on each line, as text.

    Regex extraction instead of a JSON parser keeps a malformed line from failing its
    whole block and costs one RE2 pass; values with escaped quotes are not needed here.
    """
    pattern = rf'"(?:{keys})"\s*:\s*(?:"(?P<v>[^"]*)"|(?P<n>[-0-9.eE+]+))'
    struct = base.extract(lines, pattern)
    return pc.coalesce(base.field_of(struct, "v"), base.field_of(struct, "n"))


def url_host(urls: pa.Array) -> pa.Array:
    """Host part of URLs or host:port strings (squid CONNECT), brackets removed for IPv6."""
    struct = base.extract(
        urls, r"^(?:[A-Za-z][A-Za-z0-9+.-]*://)?(?:[^@/]*@)?(?:\[(?P<v6>[^\]]+)\]|(?P<h>[^:/?#]+))"
    )
    return pc.coalesce(base.field_of(struct, "v6"), base.field_of(struct, "h"))


def truncated_json(lines: pa.Array) -> pa.Array:
    """Reason for lines that open a JSON object but do not close it (cut-off writes)."""
    closed = pc.ends_with(pc.utf8_rtrim_whitespace(lines), "}")
    return base.reason_if(pc.invert(closed), "truncated JSON object (no closing brace)")
