"""Scanner report parsers: one module per tool, registered in PARSERS.

Each module has `NAME`, `LABEL`, `EXTENSIONS`, `sniff(head, filename) -> bool` and
`parse(data, filename="") -> ParsedReport` (see `base.py`). No Django here.
"""

from __future__ import annotations

from types import ModuleType

from citysoc.vulns.parsers import nmap

PARSERS: dict[str, ModuleType] = {m.NAME: m for m in (nmap,)}


def detect(head: bytes, filename: str = "") -> ModuleType | None:
    """The parser whose sniff accepts this file's first bytes, or None."""
    return next((m for m in PARSERS.values() if m.sniff(head, filename)), None)
