"""Spamhaus DROP, EDROP and DROPv6 text lists: `1.10.16.0/20 ; SBL256894`.

The SBL id after `;` becomes the entry's note. Comment lines start with `;`; the header's
list title, `Last-Modified` and `Expires` lines are kept in `meta`. ASN-DROP lines
(`AS260 ; AE | NAME`) come through with the AS number as value, which the importer
rejects as not an address. EDROP is empty since Spamhaus merged it into DROP in 2024:
such a file gives no entries and no rejects.
"""

from __future__ import annotations

import re
from typing import Any

from citysoc.intel.formats import base, plain
from citysoc.intel.formats.base import ParsedList, gettext_noop

NAME = "spamhaus_drop"
LABEL = gettext_noop("Spamhaus DROP/EDROP/DROPv6 (text)")
EXTENSIONS = (".txt",)

_HEADER = re.compile(r"^;\s*(Last-Modified|Expires)\s*:\s*(.+?)\s*$")
_SBL_LINE = re.compile(r"^\S+\s*;\s*SBL\d+", re.M)


def sniff(head: bytes, filename: str) -> bool:
    text = head[:8192].decode("utf-8", errors="replace")
    return "Spamhaus" in text[:2000] or len(_SBL_LINE.findall(text)) >= 3


def parse(data: bytes, filename: str = "", options: dict[str, Any] | None = None) -> ParsedList:
    lines = base.decode(data).splitlines()
    return plain.read_lines(lines, format=NAME, meta=header_meta(lines))


def header_meta(lines: list[str]) -> dict[str, str]:
    meta: dict[str, str] = {}
    for line in lines[:10]:
        if match := _HEADER.match(line):
            meta[match[1].lower().replace("-", "_")] = match[2]
        elif "Spamhaus" in line and "title" not in meta:
            meta["title"] = line.lstrip("; ").strip()
    return meta
