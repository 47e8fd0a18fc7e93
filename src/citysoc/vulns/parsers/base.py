"""Records every scanner parser returns, the parser Protocol, and the safe XML reader.

A parser turns one report's bytes into a `ParsedReport`: plain frozen records, no Django.
Unreadable input raises `ParseError` naming the line or element, so nothing is saved.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol, TypeVar
from xml.etree.ElementTree import Element  # noqa: S405 - the type only; parsing is defusedxml

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

T = TypeVar("T")

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
    # Scanned artifacts without an address (image, lock file, repository): a re-scan of one
    # of them closes its findings not reported again. Their findings' location starts with it.
    scope: tuple[str, ...] = ()
    meta: dict = field(default_factory=dict)


class Parser(Protocol):
    NAME: str
    LABEL: str

    def sniff(self, head: bytes, filename: str) -> bool: ...

    def parse(self, data: bytes, filename: str = "") -> ParsedReport: ...


def read_xml(data: bytes) -> Element:
    """Parse XML without entities, DTDs or external references, within size and depth limits.

    The depth is checked while parsing, so a crafted deeply nested file stops at the first
    element too deep instead of being built in memory first."""
    check_size(data)
    depth = 0
    root: Element | None = None
    try:
        # Nmap writes a bare <!DOCTYPE nmaprun>; entity declarations and external references
        # are what defusedxml refuses by default.
        for event, el in SafeET.iterparse(io.BytesIO(data), events=("start", "end")):
            if event == "end":
                depth -= 1
                continue
            depth += 1
            if root is None:
                root = el
            if depth > MAX_DEPTH:
                raise ParseError(f"XML nested deeper than {MAX_DEPTH} at <{el.tag}>")
    except DefusedXmlException as exc:
        raise ParseError(f"refused XML: {exc.__class__.__name__} (DTD or entities)") from exc
    except SafeET.ParseError as exc:
        line, col = exc.position
        raise ParseError(f"XML unreadable at line {line}, column {col}") from exc
    if root is None:
        raise ParseError("XML has no root element")
    return root


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


_WORDS = {
    "none": "info",
    "log": "info",
    "debug": "info",
    "false positive": "info",
    "informational": "info",
    "information": "info",
    "info": "info",
    "unknown": "info",
    "negligible": "info",
    "low": "low",
    "moderate": "medium",
    "medium": "medium",
    "high": "high",
    "important": "high",
    "critical": "critical",
}
_CVE = re.compile(r"CVE-\d{4}-\d{4,}", re.IGNORECASE)


def severity_word(value: object, default: str = "info") -> str:
    """A scanner's severity word or 0-4 number as one of SEVERITIES."""
    text = str(value or "").strip().lower()
    if text in _WORDS:
        return _WORDS[text]
    if text.isdigit() and int(text) < len(SEVERITIES):
        return SEVERITIES[int(text)]
    return default


def to_float(value: object) -> float | None:
    """A score as a float, or None for empty, non-numeric or out-of-range (0-10) values."""
    try:
        score = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return score if 0.0 <= score <= 10.0 else None


def cves_in(*texts: object) -> tuple[str, ...]:
    """Every CVE id mentioned, upper-cased, in order, once."""
    found = (m.upper() for t in texts if t for m in _CVE.findall(str(t)))
    return tuple(dict.fromkeys(found))


def lines_of(value: object) -> tuple[str, ...]:
    """References given as one text (newline, space or '- ' separated) or a list."""
    if isinstance(value, list | tuple):
        items = [str(v) for v in value]
    else:
        items = re.split(r"[\s,]+", str(value or ""))
    cleaned = (i.strip().lstrip("-").strip() for i in items)
    return tuple(dict.fromkeys(i for i in cleaned if i))


def unique(findings: Iterable[FindingRecord]) -> tuple[FindingRecord, ...]:
    """One record per identity (address, port, protocol, rule, package, version, location):
    a report listing the same weakness twice is one finding; the first wins."""
    seen: dict[tuple, FindingRecord] = {}
    for f in findings:
        key = (f.address.lower(), f.port, f.protocol, f.rule, f.package, f.version, f.location)
        seen.setdefault(key, f)
    return tuple(seen.values())


def check_size(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise ParseError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MB")


def read_json(data: bytes):
    """Parse JSON within the size limit; the error names line and column."""
    check_size(data)
    try:
        return json.loads(data)
    except UnicodeDecodeError as exc:
        raise ParseError(f"not UTF-8 text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise ParseError(f"JSON unreadable at line {exc.lineno}, column {exc.colno}") from exc
    except RecursionError as exc:
        raise ParseError("JSON nested too deep") from exc


def read_json_lines(data: bytes) -> Iterator[tuple[int, object]]:
    """(line number, object) for each non-empty line of a JSON Lines file."""
    check_size(data)
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ParseError(f"JSON unreadable at line {number}") from exc
        except RecursionError as exc:
            raise ParseError(f"JSON nested too deep at line {number}") from exc


def read_csv(data: bytes, required: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each non-blank row; the header must hold `required` columns."""
    check_size(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(f"not UTF-8 text (byte {exc.start})") from exc
    delimiter = ";" if ";" in text.split("\n", 1)[0] and "," not in text.split("\n", 1)[0] else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = _with_our_cell_limit(lambda: reader.fieldnames) or []  # reads the header
    except csv.Error as exc:
        raise ParseError(f"CSV header unreadable: {exc}") from exc
    missing = [c for c in required if c not in header]
    if missing:
        raise ParseError(f"CSV header lacks the column(s) {', '.join(missing)}")
    while True:
        start = reader.line_num + 1  # a quoted cell may span lines: name the row's first
        try:
            row = _with_our_cell_limit(lambda: next(reader))
        except StopIteration:
            return
        except csv.Error as exc:
            raise ParseError(f"CSV unreadable in the row starting at line {start}: {exc}") from exc
        if None in row:
            raise ParseError(f"line {start}: more cells than the header has")
        if any((v or "").strip() for v in row.values()):
            yield start, {k: (v or "").strip() for k, v in row.items()}


def _with_our_cell_limit(read: Callable[[], T]) -> T:
    """`read()` with cells up to MAX_BYTES. The csv module's limit is one for the whole
    process: it is put back at once, so that other readers (an inventory import in the same
    worker) keep theirs."""
    previous = csv.field_size_limit(MAX_BYTES)
    try:
        return read()
    finally:
        csv.field_size_limit(previous)


def text_of(el: Element | None, path: str = "") -> str:
    """Stripped text of `el` or of its child at `path`, '' when absent."""
    if el is None:
        return ""
    target = el.find(path) if path else el
    return (target.text or "").strip() if target is not None else ""
