"""Records every scanner parser returns, the parser Protocol, and the safe XML reader.

A parser turns one report's bytes into a `ParsedReport`: plain frozen records, no Django.
Unreadable input raises `ParseError` naming the line or element, so nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol
from xml.etree.ElementTree import Element  # noqa: S405 - the type only; parsing is defusedxml

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

MAX_BYTES = 200 * 1024 * 1024  # a 50,000-finding Nessus file is well under this
MAX_DEPTH = 64  # real reports nest < 15 deep; deeper means a crafted file
SEVERITIES = ("info", "low", "medium", "high", "critical")
# What a finding is about; the same words as `Finding.Kind`.
KINDS = ("vulnerability", "misconfiguration", "secret", "license", "open-port", "info")


class ParseError(ValueError):
    """The report cannot be read; the message names the line or element."""


@dataclass(frozen=True, slots=True)
class FindingRecord:
    """One finding as the report states it."""

    title: str
    severity: str  # one of SEVERITIES
    address: str = ""  # IP or hostname of the scanned asset
    hostname: str = ""
    port: int | None = None
    protocol: str = ""
    cves: tuple[str, ...] = ()
    cvss: float | None = None
    package: str = ""
    version: str = ""
    location: str = ""  # file path, image, or matched URL
    rule: str = ""  # plugin / template / rule id: part of the dedupe key
    cvss_vector: str = ""  # CVSS v2/v3/v4 vector string exactly as the report gives it
    description: str = ""
    solution: str = ""
    references: tuple[str, ...] = ()  # URLs or advisory ids
    kind: str = "vulnerability"  # one of KINDS
    fixed_version: str = ""  # the package version that fixes it, when the scanner knows

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r} is not one of {SEVERITIES}")
        if self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r} is not one of {KINDS}")


@dataclass(frozen=True, slots=True)
class Rejected:
    where: str  # "line 12" or "host 10.0.0.1 port 80"
    reason: str


@dataclass(frozen=True)
class ParsedReport:
    """records == len(findings) + len(rejected), always."""

    tool: str
    findings: tuple[FindingRecord, ...]
    rejected: tuple[Rejected, ...] = ()
    hosts: tuple[str, ...] = ()  # every scanned address, also those without findings
    meta: dict = field(default_factory=dict)


class Parser(Protocol):
    NAME: str
    LABEL: str

    def sniff(self, head: bytes, filename: str) -> bool: ...

    def parse(self, data: bytes, filename: str = "") -> ParsedReport: ...


def read_xml(data: bytes) -> Element:
    """Parse XML without entities, DTDs or external references, within size and depth limits."""
    if len(data) > MAX_BYTES:
        raise ParseError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        # Nmap writes a bare <!DOCTYPE nmaprun>; entity declarations and external references
        # are what defusedxml refuses by default.
        root = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise ParseError(f"refused XML: {exc.__class__.__name__} (DTD or entities)") from exc
    except SafeET.ParseError as exc:
        line, col = exc.position
        raise ParseError(f"XML unreadable at line {line}, column {col}") from exc
    _check_depth(root)
    return root


def _check_depth(root: Element) -> None:
    stack = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ParseError(f"XML nested deeper than {MAX_DEPTH} at <{el.tag}>")
        stack.extend((child, depth + 1) for child in el)


def severity_from_cvss(score: float | None) -> str:
    """CVSS v3 qualitative bands; no score is informational."""
    if score is None or score == 0:
        return "info"
    if score >= 9.0:
        return "critical"
    if score >= 7.0:
        return "high"
    if score >= 4.0:
        return "medium"
    return "low"
