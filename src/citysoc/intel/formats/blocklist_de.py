"""blocklist.de lists (`all.txt`, `ssh.txt`, `blocklist_apache.txt`…): one IP per line.

The family of every entry is the list name taken from the file name (`apache`, `imap`),
or `options["family"]` when given. Lines are read as a plain list (`plain.read_lines`).
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

from citysoc.intel.formats import base, plain
from citysoc.intel.formats.base import ParsedList, gettext_noop

NAME = "blocklist_de"
LABEL = gettext_noop("blocklist.de list")
EXTENSIONS = (".txt",)

# The lists published at https://lists.blocklist.de/lists/ (file name = list name).
LIST_NAMES = (
    "all", "ssh", "mail", "apache", "imap", "ftp", "sip", "bots", "strongips",
    "ircbot", "bruteforcelogin",
)  # fmt: skip
_FILE = re.compile(r"^(?:blocklist[_-]?(?:de[_-]?)?)?(?P<name>[a-z]+)\.txt$")


def list_name(filename: str) -> str:
    """The blocklist.de list a file name refers to ("blocklist_apache.txt" -> "apache")."""
    match = _FILE.match(PurePath(filename.lower()).name)
    return match["name"] if match and match["name"] in LIST_NAMES else ""


def sniff(head: bytes, filename: str) -> bool:
    name = PurePath(filename.lower()).name
    return (
        bool(list_name(filename))
        and ("blocklist" in name or name.removesuffix(".txt") in LIST_NAMES)
        and plain.sniff(head, filename)
    )


def parse(data: bytes, filename: str = "", options: dict[str, Any] | None = None) -> ParsedList:
    family = (options or {}).get("family") or list_name(filename)
    lines = base.decode(data).splitlines()
    return plain.read_lines(lines, format=NAME, family=family, meta={"list": family})
