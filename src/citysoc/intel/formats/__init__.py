"""Indicator-list formats: one module per format, registered in FORMATS (STYLE.md §9.6).

Each module has `NAME`, `LABEL` (English, marked with `base.gettext_noop` so that the
import form shows it in the officer's language), `EXTENSIONS`,
`sniff(head, filename) -> bool` (from the first 64 KB and the file name) and
`parse(data, filename="", options=None) -> ParsedList` (see `base.py`). Parsers read; they
do not validate addresses: the importer classifies every value and rejects bad ones with
their row. No Django here.

| NAME | reads | skips / rejects |
| --- | --- | --- |
| botnet_sheet | .xlsx/.csv by header aliases (vi, VNCERT, en) | title/notes / empty IP |
| shadowserver | drone/botnet report CSV, UTC times | header / empty ip |
| feodo | Feodo Tracker CSV: C2 IP, port, malware | comments / bad columns |
| stix | indicator patterns: IP, CIDR, domain, URL, hash | objects / unreadable |
| misp | event attributes: IP, domain, URL, hash | other types / empty |
| spamhaus_drop_json | DROP JSON lines: cidr, SBL id | metadata / non-JSON |
| spamhaus_drop | DROP/EDROP/DROPv6 text: CIDR ; SBL id | comments / — |
| firehol | .ipset/.netset, header metadata | comments / — |
| dshield | block.txt: start/netblock, name, country | comments / bad line |
| emerging_threats | ET lists, one IP per line | comments / — |
| blocklist_de | blocklist.de, family = list name | comments / — |
| plain | IP, CIDR, a-b, domain, URL, hosts lines | comments / many values |

Each module's docstring says exactly what it reads, skips and rejects.
"""

from __future__ import annotations

from typing import Any

from citysoc.intel.formats import (
    blocklist_de,
    botnet_sheet,
    dshield,
    emerging_threats,
    feodo,
    firehol,
    misp,
    plain,
    shadowserver,
    spamhaus_drop,
    spamhaus_drop_json,
    stix,
)
from citysoc.intel.formats.base import ListEntry, ListFormat, NeedsMapping, ParsedList, RejectedRow

__all__ = [
    "FORMATS",
    "ListEntry",
    "ListFormat",
    "NeedsMapping",
    "ParsedList",
    "RejectedRow",
    "detect",
    "parse",
]

# Most specific first: FireHOL's feodo.ipset mentions Feodo, a Feodo CSV or a Shadowserver
# report also has sheet-like headers, and almost any text passes plain's sniff (so: last).
# Typed with the Protocol so mypy checks every module has the names and signatures above.
_ENTRIES: tuple[ListFormat, ...] = (
    stix,
    misp,
    spamhaus_drop_json,
    firehol,
    feodo,
    shadowserver,
    spamhaus_drop,
    dshield,
    emerging_threats,
    blocklist_de,
    botnet_sheet,
    plain,
)
FORMATS: dict[str, ListFormat] = {m.NAME: m for m in _ENTRIES}
HEAD_BYTES = 64 << 10


def detect(head: bytes, filename: str = "") -> str:
    """NAME of the first format (most specific first) that recognises the file."""
    head = head[:HEAD_BYTES]
    for name, module in FORMATS.items():
        if module.sniff(head, filename):
            return name
    known = ", ".join(f"{m.LABEL} ({name})" for name, m in FORMATS.items())
    raise ValueError(
        f"Could not tell the format of {filename or 'the file'}. Choose the format by hand;"
        f" the known formats are: {known}."
    )


def parse(
    data: bytes, filename: str = "", format: str = "auto", options: dict[str, Any] | None = None
) -> ParsedList:
    """Parse a list file in the given format, or the detected one when format is "auto"."""
    if format == "auto":
        format = detect(data, filename)
    if format not in FORMATS:
        raise ValueError(f"Unknown list format {format!r}; known: {', '.join(FORMATS)}.")
    return FORMATS[format].parse(data, filename, options)
