"""Shadowserver drone/botnet report CSV (infected hosts seen talking to a sinkhole or C2).

Columns `timestamp, ip, port, asn, geo, region, city, hostname, type, infection, url,
agent, cc, cc_port, cc_asn, cc_geo, cc_dns, count, tag`. Read by the botnet sheet parser
(same column matching, same row rules): ip -> value, infection -> family, cc -> c2,
cc_port -> c2_port, port, asn, geo -> country; hostname, type, url and cc_dns go into the
note. The one difference is time: Shadowserver timestamps are UTC, not Vietnam time.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from citysoc.intel.formats import base, botnet_sheet
from citysoc.intel.formats.base import ParsedList, gettext_noop

NAME = "shadowserver"
LABEL = gettext_noop("Shadowserver drone/botnet report (CSV)")
EXTENSIONS = (".csv",)

REQUIRED_COLUMNS = {"timestamp", "ip", "infection", "cc"}


def sniff(head: bytes, filename: str) -> bool:
    first = next(iter(base.head_lines(head, limit=1)), "")
    return {c.strip().strip('"') for c in first.split(",")} >= REQUIRED_COLUMNS


def parse(data: bytes, filename: str = "", options: dict[str, Any] | None = None) -> ParsedList:
    return botnet_sheet.read(data, filename, options, format=NAME, tz=UTC)
