"""abuse.ch Feodo Tracker botnet C2 blocklist, CSV form (`ipblocklist.csv`).

Columns `first_seen_utc, dst_ip, dst_port, c2_status, last_online, malware`. Every row is
a C2 server, so the entry's value and `c2` are `dst_ip`, `c2_port` is `dst_port`, the
family is `malware` in lower case and the note is the C2 status (`online`/`offline`).
Times are UTC; `last_online` is a date. The `#` header (its "Last updated" line goes to
`meta["last_updated"]`) and the column header are skipped; the `# END n entries` trailer
gives `meta["declared_entries"]`. A row with another number of columns, or no `dst_ip`, is
rejected.
"""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime
from typing import Any

from citysoc.intel.formats import base
from citysoc.intel.formats.base import ListEntry, ParsedList, RejectedRow, build, gettext_noop

NAME = "feodo"
LABEL = gettext_noop("abuse.ch Feodo Tracker (CSV)")
EXTENSIONS = (".csv",)

COLUMNS = ("first_seen_utc", "dst_ip", "dst_port", "c2_status", "last_online", "malware")
_END = re.compile(r"^#\s*END\s+(\d+)\s+entries", re.I)
_UPDATED = re.compile(r"^#\s*Last updated:\s*(.+?)\s*#?\s*$", re.I)


def sniff(head: bytes, filename: str) -> bool:
    text = head[:8192].decode("utf-8", errors="replace")
    # The CSV's column header, not the "Feodo Tracker" banner: the plain-text blocklist
    # (ipblocklist.txt) has the same banner and is read as a plain list.
    return "dst_ip" in text and "first_seen_utc" in text


def parse(data: bytes, filename: str = "", options: dict[str, Any] | None = None) -> ParsedList:
    entries: list[ListEntry] = []
    rejected: list[RejectedRow] = []
    meta: dict[str, Any] = {}
    skipped = 0
    for number, line in enumerate(base.decode(data).splitlines(), start=1):
        if not line.strip() or line.startswith("#") or "first_seen_utc" in line:
            skipped += 1
            _read_comment(line, meta)
            continue
        cells = next(csv.reader([line]))
        if len(cells) != len(COLUMNS) or not cells[1].strip():
            reason = f"expected the {len(COLUMNS)} Feodo columns ({', '.join(COLUMNS)})"
            rejected.append(RejectedRow(number, line, reason))
            continue
        entries.append(_entry(number, dict(zip(COLUMNS, (c.strip() for c in cells), strict=True))))
    return build(NAME, entries, rejected, skipped=skipped, meta=meta)


def _read_comment(line: str, meta: dict[str, Any]) -> None:
    if match := _END.match(line):
        meta["declared_entries"] = int(match[1])
    elif match := _UPDATED.match(line):
        meta["last_updated"] = match[1]


def _entry(number: int, row: dict[str, str]) -> ListEntry:
    return ListEntry(
        row=number,
        value=row["dst_ip"],
        family=row["malware"].lower(),
        c2=row["dst_ip"],
        c2_port=_port(row["dst_port"]),
        first_seen=_time(row["first_seen_utc"]),
        last_seen=_time(row["last_online"]),
        note=row["c2_status"],
    )


# A damaged time or port must not lose the C2 address: the field is left empty.
def _time(text: str) -> datetime | None:
    try:
        return base.parse_time(text, tz=UTC)
    except ValueError:
        return None


def _port(text: str) -> int | None:
    try:
        return base.parse_port(text)
    except ValueError:
        return None
