"""Spamhaus DROP JSON-lines feed (`drop_v4.json`, `drop_v6.json`).

One JSON object per line: `{"cidr": "1.10.16.0/20", "sblid": "SBL256894", "rir": "apnic"}`.
The note is the SBL id followed by the registry (`SBL256894 apnic`). The trailing
`{"type": "metadata", ...}` record is not a data row: it is skipped and kept in
`meta["metadata"]`, and its `records` count in `meta["declared_records"]` so the importer
can warn when the file was cut short. A line that is not JSON, or has no `cidr`, is
rejected.
"""

from __future__ import annotations

import json
from typing import Any

from citysoc.intel.formats import base
from citysoc.intel.formats.base import ListEntry, ParsedList, RejectedRow, build, gettext_noop

NAME = "spamhaus_drop_json"
LABEL = gettext_noop("Spamhaus DROP (JSON lines)")
EXTENSIONS = (".json",)


def sniff(head: bytes, filename: str) -> bool:
    first = next(iter(base.head_lines(head, limit=1)), "")
    return first.startswith("{") and '"cidr"' in first and '"sblid"' in first


def parse(data: bytes, filename: str = "", options: dict[str, Any] | None = None) -> ParsedList:
    entries: list[ListEntry] = []
    rejected: list[RejectedRow] = []
    meta: dict[str, Any] = {}
    skipped = 0
    for number, raw in enumerate(base.decode(data).splitlines(), start=1):
        line = raw.strip()
        if not line:
            skipped += 1
            continue
        try:
            record = json.loads(line)
        except ValueError:
            rejected.append(RejectedRow(number, line, "the line is not a JSON object"))
            continue
        if isinstance(record, dict) and record.get("type") == "metadata":
            skipped += 1
            meta["metadata"] = record
            meta["declared_records"] = record.get("records")
            continue
        if not isinstance(record, dict) or not str(record.get("cidr") or "").strip():
            rejected.append(RejectedRow(number, line, 'the record has no "cidr" value'))
            continue
        note = " ".join(str(record[k]) for k in ("sblid", "rir") if record.get(k))
        entries.append(ListEntry(row=number, value=str(record["cidr"]).strip(), note=note))
    return build(NAME, entries, rejected, skipped=skipped, meta=meta)
