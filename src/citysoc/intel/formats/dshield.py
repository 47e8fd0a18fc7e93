"""DShield recommended block list (`block.txt`): the top 20 attacking /24 networks.

Tab-separated columns `Start, End, Netblock, Attacks, Name, Country, email` under a `#`
comment header and a `Start	End	…` column header (both skipped). The value is
`start/netblock` (e.g. `192.0.2.0/24`), or `start-end` when the netblock column is not a
prefix length; the note is the network name and attack count, `country` the country code.
The header's `updated:` line goes to `meta["updated"]`. A line without start and end
addresses is rejected.
"""

from __future__ import annotations

import re
from typing import Any

from citysoc.intel.formats import base
from citysoc.intel.formats.base import ListEntry, ParsedList, RejectedRow, build, gettext_noop

NAME = "dshield"
LABEL = gettext_noop("DShield block list")
EXTENSIONS = (".txt",)

_UPDATED = re.compile(r"^#\s*updated:\s*(.+?)\s*$")


def sniff(head: bytes, filename: str) -> bool:
    text = head[:8192].decode("utf-8", errors="replace")
    return "DShield.org Recommended Block List" in text or "Start\tEnd\tNetblock" in text


def parse(data: bytes, filename: str = "", options: dict[str, Any] | None = None) -> ParsedList:
    entries: list[ListEntry] = []
    rejected: list[RejectedRow] = []
    meta: dict[str, Any] = {}
    skipped = 0
    for number, line in enumerate(base.decode(data).splitlines(), start=1):
        if not line.strip() or line.startswith("#") or line.startswith("Start\t"):
            skipped += 1
            if match := _UPDATED.match(line):
                meta["updated"] = match[1]
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) < 3 or not cells[0] or not cells[1]:
            reason = "expected tab-separated start address, end address and netblock size"
            rejected.append(RejectedRow(number, line, reason))
            continue
        entries.append(_entry(number, cells + [""] * (7 - len(cells))))
    return build(NAME, entries, rejected, skipped=skipped, meta=meta)


def _entry(number: int, cells: list[str]) -> ListEntry:
    start, end, bits, attacks, name, country = cells[:6]
    value = f"{start}/{bits}" if bits.isdigit() else f"{start}-{end}"
    note = "; ".join(filter(None, [name, f"{attacks} attacks" if attacks else ""]))
    return ListEntry(row=number, value=value, country=country, note=note)
