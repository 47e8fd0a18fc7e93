"""The shape every list-format module has; FORMATS is typed with it so mypy checks each
module conforms (a module matches a Protocol of module-level names)."""

from __future__ import annotations

from typing import Any, Protocol

from citysoc.intel.formats.base import ParsedList


class ListFormat(Protocol):
    NAME: str  # registry key, stored on the list source
    LABEL: str  # shown to the officer when choosing a format
    EXTENSIONS: tuple[str, ...]

    def sniff(self, head: bytes, filename: str) -> bool:
        """True when the first 64 KB (and the file name) look like this format."""

    def parse(
        self, data: bytes, filename: str = "", options: dict[str, Any] | None = None
    ) -> ParsedList:
        """Read one file's bytes into entries, rejected rows and skipped counts."""
