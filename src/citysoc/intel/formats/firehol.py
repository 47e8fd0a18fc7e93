"""FireHOL ipsets (`.ipset` addresses, `.netset` networks) from firehol/blocklist-ipsets.

The header comment block carries the list's metadata (`# Maintainer      : Abuse.ch`);
each `Key : value` line is kept in `meta` under a snake_case key (`maintainer`,
`maintainer_url`, `list_source_url`, `source_file_date`, `this_file_date`, `category`,
`version`, `entries`), and the list name (first comment line) as `meta["list"]`. The
data lines are read as a plain list.
"""

from __future__ import annotations

import re
from typing import Any

from citysoc.intel.formats import base, plain
from citysoc.intel.formats.base import ParsedList, gettext_noop

NAME = "firehol"
LABEL = gettext_noop("FireHOL ipset/netset")
EXTENSIONS = (".ipset", ".netset")

_META = re.compile(r"^#\s*([A-Za-z][A-Za-z ]*?)\s*:\s+(.+?)\s*$")


def sniff(head: bytes, filename: str) -> bool:
    if filename.lower().endswith(EXTENSIONS):
        return True
    text = head[:8192].decode("utf-8", errors="replace")
    return "FireHOL" in text and re.search(r"^# ipv[46] hash:", text, re.M) is not None


def parse(data: bytes, filename: str = "", options: dict[str, Any] | None = None) -> ParsedList:
    lines = base.decode(data).splitlines()
    return plain.read_lines(
        lines, format=NAME, family=(options or {}).get("family", ""), meta=header_meta(lines)
    )


def header_meta(lines: list[str]) -> dict[str, str]:
    """`Key : value` pairs of the leading comment block, plus the list name."""
    meta: dict[str, str] = {}
    for line in lines:
        if not line.startswith("#"):
            break
        if "list" not in meta and re.fullmatch(r"#\s*[\w.-]+\s*", line):
            meta["list"] = line.lstrip("# ").strip()
        elif match := _META.match(line):
            meta[match[1].strip().lower().replace(" ", "_")] = match[2]
    return meta
