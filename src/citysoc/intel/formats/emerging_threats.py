"""Emerging Threats (Proofpoint) open lists such as `compromised-ips.txt`: one IP per line.

The lines are read exactly as a plain list (`plain.read_lines`); this module only
recognises the file by its name, so the source shows up as Emerging Threats.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from citysoc.intel.formats import base, plain
from citysoc.intel.formats.base import ParsedList, gettext_noop

NAME = "emerging_threats"
LABEL = gettext_noop("Emerging Threats IP list")
EXTENSIONS = (".txt",)

KNOWN_FILES = ("compromised-ips", "emerging-block-ips", "block-ips", "emerging-drop")


def sniff(head: bytes, filename: str) -> bool:
    stem = PurePath(filename.lower()).stem
    return stem.startswith(KNOWN_FILES) and plain.sniff(head, filename)


def parse(data: bytes, filename: str = "", options: dict[str, Any] | None = None) -> ParsedList:
    family = (options or {}).get("family", "")
    lines = base.decode(data).splitlines()
    return plain.read_lines(
        lines, format=NAME, family=family, meta={"list": PurePath(filename).stem}
    )
