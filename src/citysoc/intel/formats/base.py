"""Records every indicator-list format returns, and small helpers the formats share.

A parser turns one file's bytes into a `ParsedList`: the entries it read, the data rows it
could not read (with the row and a reason for the officer), and what it skipped on purpose
(comments, blank lines, headers, title and notes rows). It does not judge whether a value is
a valid address: the importer classifies every value and rejects bad ones with their row, so
a typo such as `192.0.2` reaches the officer instead of vanishing here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any, Protocol
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_REJECTED_TEXT = 200


@dataclass(slots=True)
class ListEntry:
    """One indicator as read from the list, with what the list says about it."""

    row: int  # 1-based line in the file, or the sheet row number as Excel shows it
    value: str  # as written, stripped: address, CIDR, a-b range, domain, URL or file hash
    kind: str = ""  # "" lets the importer classify; "md5"/"sha1"/"sha256" for hashes
    family: str = ""  # malware/botnet family, lower-case
    c2: str = ""  # C2 address or host the listed host talks to
    c2_port: int | None = None
    port: int | None = None  # local port of the listed host, when given
    first_seen: datetime | None = None  # always aware
    last_seen: datetime | None = None
    asn: str = ""
    isp: str = ""
    country: str = ""
    note: str = ""  # e.g. Spamhaus SBL id, STIX indicator name


@dataclass(slots=True)
class RejectedRow:
    """A data row the parser could not read; `reason` is a sentence for the officer."""

    row: int
    value: str  # the raw cell/line text, shortened to 200 characters
    reason: str

    def __post_init__(self) -> None:
        self.value = shorten(self.value)


@dataclass
class ParsedList:
    """What a parser read from one file: rows == len(entries) + len(rejected), always."""

    format: str
    entries: list[ListEntry]
    rejected: list[RejectedRow]
    rows: int  # data rows seen (for STIX/MISP: indicator values, see their docstrings)
    skipped: int = 0  # comment, blank, header, title and notes lines: not data
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Records in = kept + rejected: a parser that loses a row is a bug, not a nuance.
        if self.rows != len(self.entries) + len(self.rejected):
            raise AssertionError(
                f"{self.format}: {self.rows} data rows but {len(self.entries)} entries"
                f" + {len(self.rejected)} rejected"
            )


class NeedsMapping(Exception):  # noqa: N818 - the importer's name for "ask the user"
    """The spreadsheet's IP column could not be found: the user must map the columns."""

    def __init__(self, headers: list[str], guessed: dict[str, str], message: str = "") -> None:
        self.headers = headers
        self.guessed = guessed  # field name -> header text
        super().__init__(
            message
            or "Could not find the IP address column in this spreadsheet. Choose which column"
            " holds the IP addresses (headers found: "
            + (", ".join(repr(h) for h in headers if h) or "none")
            + ")."
        )


def shorten(text: str, limit: int = MAX_REJECTED_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build(
    format: str, entries: list[ListEntry], rejected: list[RejectedRow], **kw: Any
) -> ParsedList:
    """A ParsedList whose `rows` is counted from what the parser produced."""
    return ParsedList(format, entries, rejected, rows=len(entries) + len(rejected), **kw)


# --- text ------------------------------------------------------------------------------


def decode(data: bytes, *, partial: bool = False) -> str:
    """Text of a list file: UTF-8 (with or without BOM), else Windows-1258 (Vietnamese Excel).

    `partial=True` is for a file's first bytes, which may end inside a UTF-8 character.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if partial and exc.start >= len(data) - 3:
            text = data[: exc.start].decode("utf-8-sig", errors="replace")
        else:
            # Vietnamese Windows saves "CSV" in cp1258, which writes tone marks as combining
            # characters; NFC turns them back into the precomposed letters people type.
            text = data.decode("cp1258", errors="replace")
    return unicodedata.normalize("NFC", text)


def looks_like_text(head: bytes) -> bool:
    """True when the first bytes are text rather than a binary file (no NUL bytes)."""
    return b"\x00" not in head[:8192]


def fold(text: str) -> str:
    """Lower-case without accents or extra spaces: "Địa chỉ  IP" -> "dia chi ip"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    text = re.sub(r"\([^)]*\)", " ", text.lower())  # "Thời gian (GMT+7)" -> "thoi gian"
    text = re.sub(r"[_\s]+", " ", text)
    return text.strip(" *:.\t\r\n")


def head_lines(head: bytes, limit: int = 40) -> list[str]:
    """The first non-blank lines of a file's head, decoded leniently, for sniffing."""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    return [line.strip() for line in text.splitlines() if line.strip()][:limit]


# --- numbers and times ----------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def parse_port(value: object) -> int | None:
    """A TCP/UDP port from a cell or field; None when empty or 0 (Shadowserver's "unknown").

    Raises ValueError when the value is not a port number.
    """
    text = str(value).strip() if value is not None else ""
    if not text:
        return None
    port = int(float(text))
    if not 0 <= port <= 65535:
        raise ValueError(f"{port} is not a port number")
    return port or None


def parse_time(value: object, tz: tzinfo = VIETNAM) -> datetime | None:
    """An aware datetime from a sheet cell or text; naive values are taken to be in `tz`.

    Reads datetime/date cells, dd/mm/yyyy [HH:MM[:SS]] (the Vietnamese order), ISO 8601
    and Unix timestamps. Returns None when the value is empty; raises ValueError when it is
    text in none of these forms.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=tz)
    text = str(value).strip()
    if not text:
        return None
    if match := _DMY.match(text):
        day, month, year, hh, mm, ss = (int(g) if g else 0 for g in match.groups())
        return datetime(year, month, day, hh, mm, ss, tzinfo=tz)
    if text.isdigit() and len(text) >= 9:
        return datetime.fromtimestamp(int(text), tz=UTC)
    parsed = datetime.fromisoformat(text.replace(" UTC", "").replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


# The shape every entry module of this registry has; the registry in __init__ is typed with it
# so mypy checks each module conforms (a module matches a Protocol of module-level names).
class ListFormat(Protocol):
    NAME: str  # registry key, stored on the list source
    LABEL: str  # shown to the officer when choosing a format

    @property  # read-only, so a module's one-element tuple[str] also conforms
    def EXTENSIONS(self) -> tuple[str, ...]: ...

    def sniff(self, head: bytes, filename: str) -> bool:
        """True when the first 64 KB (and the file name) look like this format."""

    def parse(
        self, data: bytes, filename: str = "", options: dict[str, Any] | None = None
    ) -> ParsedList:
        """Read one file's bytes into entries, rejected rows and skipped counts."""


def gettext_noop(message: str) -> str:
    """Mark a format's English `LABEL` for the catalogue; the forms translate it.

    The readers import no Django, so they cannot translate; `makemessages` collects every
    string passed to a function of this name.
    """
    return message
