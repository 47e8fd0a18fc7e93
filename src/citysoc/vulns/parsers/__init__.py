"""Scanner report parsers: one module per tool, registered in PARSERS.

Each module has `NAME`, `LABEL`, `EXTENSIONS`, `sniff(head, filename) -> bool` and
`parse(data, filename="") -> ParsedReport` (see `base.py`). No Django here.
"""

from __future__ import annotations

from types import ModuleType

from citysoc.vulns.parsers import grype, masscan, nessus, nmap, nuclei, openvas, osv, trivy, zap

PARSERS: dict[str, ModuleType] = {
    m.NAME: m for m in (nmap, nessus, openvas, trivy, grype, nuclei, zap, osv, masscan)
}


def detect(head: bytes, filename: str = "") -> ModuleType | None:
    """The parser whose sniff accepts this file's first bytes, or None."""
    return next((m for m in PARSERS.values() if m.sniff(head, filename)), None)


def read_report(data: bytes, filename: str = "", tool: str = ""):
    """Parse with the named parser, or the one detected from the content.

    Raises `base.ParseError` for an unknown tool or a report no parser recognises."""
    from citysoc.vulns.parsers.base import ParseError

    if tool:
        if tool not in PARSERS:
            raise ParseError(f"unknown tool {tool!r}; known: {', '.join(sorted(PARSERS))}")
        module = PARSERS[tool]
    else:
        if data.strip() in (b"", b"null", b"[]"):
            raise ParseError(
                "the file is empty, so its tool cannot be told from its content; "
                "give --tool to import it as an empty scan"
            )
        detected = detect(data[:65536], filename)
        if detected is None:
            raise ParseError(
                f"not a report of a known tool ({', '.join(sorted(PARSERS))}); give --tool"
            )
        module = detected
    return module.parse(data, filename)
