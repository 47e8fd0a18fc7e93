"""Plain text list: one IP, CIDR, a-b range, domain or URL per line.

Lines starting with `#`, `;` or `//` are comments and blank lines are skipped; text after
` #` or ` ;` on a data line is an inline comment, kept as the entry's note. `a - b` is read
as the range `a-b`; a hosts-file line (`0.0.0.0 bad.example`) gives its host name, so
domain blocklists in hosts form import too. A line with several values is rejected. The
leading comment block is kept in `meta["comments"]` (lists put their date there).

Other line formats (Emerging Threats, blocklist.de, FireHOL, Spamhaus) reuse
`read_lines()`, the one place where list lines are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from citysoc.intel.formats import base
from citysoc.intel.formats.base import (
    ListEntry,
    ParsedList,
    RejectedRow,
    build,
    decode,
    gettext_noop,
)

NAME = "plain"
LABEL = gettext_noop("Plain text list (IP, CIDR, range, domain, URL)")
EXTENSIONS = (".txt", ".list", ".lst")

COMMENT_START = ("#", ";", "//")
_INLINE_COMMENT = re.compile(r"\s+(?:#|;|//)\s*")
_RANGE = re.compile(r"^(\S+)\s+-\s+(\S+)$")
# Hosts files point blocked names at a sink address; the name is the indicator.
_HOSTS_SINKS = {"0.0.0.0", "127.0.0.1", "::", "::1"}  # noqa: S104 - data, not a bind
MAX_KEPT_COMMENTS = 30


def sniff(head: bytes, filename: str) -> bool:
    """Text whose data lines hold one token each (the fallback format, tried last)."""
    if not base.looks_like_text(head):
        return False
    lines = [line for line in base.head_lines(head) if not line.startswith(COMMENT_START)]
    if not lines:
        return filename.lower().endswith(EXTENSIONS)
    single = sum(1 for line in lines if _value_of(line)[1] is None)
    return single >= 0.8 * len(lines)


def parse(data: bytes, filename: str = "", options: dict[str, Any] | None = None) -> ParsedList:
    family = (options or {}).get("family", "")
    return read_lines(decode(data).splitlines(), format=NAME, family=family)


def read_lines(
    lines: Iterable[str], *, format: str, family: str = "", meta: dict[str, Any] | None = None
) -> ParsedList:
    """Entries from list lines; `meta["comments"]` gets the comment block before the data."""
    entries: list[ListEntry] = []
    rejected: list[RejectedRow] = []
    comments: list[str] = []
    skipped = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith(COMMENT_START):
            skipped += 1
            if line and not entries and len(comments) < MAX_KEPT_COMMENTS:
                comments.append(line)
            continue
        value_and_note, problem = _value_of(line)
        if problem:
            rejected.append(RejectedRow(number, line, problem))
            continue
        value, note = value_and_note
        entries.append(ListEntry(row=number, value=value, family=family, note=note))
    meta = {"comments": comments, **(meta or {})}
    return build(format, entries, rejected, skipped=skipped, meta=meta)


def _value_of(line: str) -> tuple[tuple[str, str], str | None]:
    """((value, inline comment), None) for a readable line, else (("", ""), reason)."""
    text, note = _split_comment(line)
    text = text.rstrip(",")
    if match := _RANGE.match(text):
        return (f"{match[1]}-{match[2]}", note), None
    tokens = text.split()
    if len(tokens) == 2 and tokens[0] in _HOSTS_SINKS:
        return (tokens[1], note), None
    if len(tokens) != 1:
        return ("", ""), (
            f"expected one address, range or domain on the line, found {len(tokens)} values"
        )
    return (tokens[0], note), None


def _split_comment(line: str) -> tuple[str, str]:
    parts = _INLINE_COMMENT.split(line, maxsplit=1)
    return (parts[0], parts[1].strip()) if len(parts) == 2 else (line, "")
