"""The event contract every alert source returns, and the helpers the sources share.

A source turns one payload (an HTTP body, a syslog batch, a file) into a `Parsed`: the
events it read, the records it could not read (with their position and a reason for the duty
officer) and how many records it skipped on purpose (for example Suricata flow and stats
events). Records in = events + rejected + skipped, always.

Positions in `rejected` are 0-based indexes for a JSON array or object list (as the sender's
code indexes them: `alerts[2]`), and 1-based line numbers for line formats (NDJSON, TSV).
No Django here: the intake view and the syslog listener call these functions.
"""

from __future__ import annotations

import ipaddress
import json
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from citysoc.core import jsondepth

ACTIONS = ("trigger", "acknowledge", "resolve")
SEVERITIES = ("critical", "high", "medium", "low", "info")
SUMMARY_MAX = 200
# A gzip body (at most 10 MB on the wire) may unpack to this much: a batch of alerts is
# text that compresses about 10 times, and 10 MB of gzip can hold gigabytes of zeros.
GZIP_MAX_BYTES = 100 * 2**20
REASON_MAX = 300  # a rejected record's reason, so one huge record cannot flood the log

Payload = bytes | str | dict[str, Any] | list[Any]


@dataclass(slots=True)
class Event:
    """One alert event in our own terms, whatever tool sent it."""

    action: str  # "trigger" | "acknowledge" | "resolve"
    dedup_key: str  # repeats of the same problem share it; each source documents how
    severity: str  # "critical" | "high" | "medium" | "low" | "info"
    source: str  # registry name, e.g. "wazuh"
    summary: str  # one line, <= 200 characters: the tool's own text
    details: dict[str, Any]  # the useful fields: rule, signature, ports, agent, ...
    occurred_at: datetime | None  # aware, from the payload
    links: list[str] = field(default_factory=list)
    host: str = ""  # the monitored host/agent name or IP the alert is about
    src_ip: str = ""
    dst_ip: str = ""
    # The tool's own severity word or number as sent ("Warning", "4", "Disaster"), kept on
    # the alert next to our level; "" when the source derives the level from something else.
    severity_word: str = ""

    def __post_init__(self) -> None:
        # A source that builds a bad event is a bug in the source: fail loudly in its tests.
        if self.action not in ACTIONS:
            raise ValueError(f"action {self.action!r} is not one of {', '.join(ACTIONS)}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r} is not one of {', '.join(SEVERITIES)}")
        if not self.dedup_key:
            raise ValueError("dedup_key is empty")
        if len(self.summary) > SUMMARY_MAX or "\n" in self.summary:
            raise ValueError("summary must be one line of at most 200 characters")
        if self.occurred_at is not None and self.occurred_at.utcoffset() is None:
            raise ValueError("occurred_at has no time zone")


@dataclass
class Parsed:
    """What a source read from one payload."""

    events: list[Event]
    rejected: list[tuple[int, str]]  # (index or line number, reason)
    skipped: int = 0  # records that are not alerts (Suricata flow/stats events, ...)

    @property
    def records(self) -> int:
        return len(self.events) + len(self.rejected) + self.skipped


class PayloadError(ValueError):
    """The whole payload is unusable; the message says what was expected."""


class RecordError(ValueError):
    """One record is unusable; the message is the reason shown next to its position."""


# --- reading payloads -------------------------------------------------------------------


def text(payload: Payload, *, expected: str) -> str:
    """The payload as text: bytes are UTF-8 (a UTF-8 BOM is dropped) or gzip of UTF-8."""
    if isinstance(payload, str):
        return payload
    if not isinstance(payload, bytes | bytearray):
        raise PayloadError(f"expected {expected} as text, got a {type(payload).__name__}")
    data = bytes(payload)
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, expected)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PayloadError(
            f"expected {expected} in UTF-8: byte {error.start} is not UTF-8"
        ) from None


def _gunzip(data: bytes, expected: str) -> bytes:
    """Gzip data unpacked, refusing more than GZIP_MAX_BYTES: 10 MB of gzip can be 10 GB."""
    out = bytearray()
    while data:
        stream = zlib.decompressobj(wbits=31)
        try:
            out += stream.decompress(data, GZIP_MAX_BYTES + 1 - len(out))
        except zlib.error as error:
            raise PayloadError(f"expected {expected}: the gzip data is broken ({error})") from None
        if len(out) > GZIP_MAX_BYTES:
            raise PayloadError(
                f"expected {expected}: the gzip data unpacks to more than "
                f"{GZIP_MAX_BYTES // 2**20} MB, the limit; send smaller batches"
            )
        if not stream.eof:
            raise PayloadError(f"expected {expected}: the gzip data is broken (it is cut short)")
        data = stream.unused_data  # a next gzip member, if the sender concatenated some
    return bytes(out)


def load_json(payload: Payload, *, expected: str) -> object:
    """One JSON document; dicts and lists (already decoded by the caller) pass through."""
    if isinstance(payload, dict | list):
        return payload
    body = text(payload, expected=expected)
    if not body.strip():
        raise PayloadError(f"expected {expected}, got an empty body")
    _check_depth(body)
    try:
        return json.loads(body)
    except RecursionError:
        raise PayloadError(f"expected {expected}: the JSON nests too deep to read") from None
    except json.JSONDecodeError as error:
        raise PayloadError(
            f"expected {expected}, but it is not valid JSON"
            f" ({error.msg}, line {error.lineno} column {error.colno})"
        ) from None


def json_records(payload: Payload, *, expected: str) -> Iterator[tuple[int, object]]:
    """Records from one JSON object, a JSON array, or NDJSON (one object per line).

    Yields (position, record); a line of NDJSON that is not JSON comes as a RecordError so
    the caller rejects that line and keeps the rest.
    """
    if isinstance(payload, dict):
        yield 0, payload
        return
    if isinstance(payload, list):
        yield from enumerate(payload)
        return
    body = text(payload, expected=expected)
    stripped = body.strip()
    if not stripped:
        raise PayloadError(f"expected {expected}, got an empty body")
    _check_depth(body)
    if stripped.startswith("["):
        yield from enumerate(_as_list(load_json(stripped, expected=expected), expected))
        return
    if not stripped.startswith("{"):
        raise PayloadError(
            f"expected {expected} (a JSON object, array or one object per line);"
            f" the body starts with {stripped[:40]!r}"
        )
    yield from _ndjson_lines(body)


def _check_depth(body: str) -> None:
    # Counted on the text before json.loads: 50,000 nested brackets would otherwise end
    # in a RecursionError (a 500) deep inside the parser.
    try:
        jsondepth.check_depth(body)
    except jsondepth.JsonTooDeep as error:
        raise PayloadError(str(error)) from None


def _as_list(document: object, expected: str) -> list[Any]:
    if not isinstance(document, list):
        raise PayloadError(f"expected {expected} as a JSON array")
    return document


def _ndjson_lines(body: str) -> Iterator[tuple[int, object]]:
    lines = body.splitlines()
    if len(lines) > 1 and _is_one_document(body):
        # A pretty-printed single object spans many lines: it is one record, not NDJSON.
        yield 0, json.loads(body)
        return
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except RecursionError:
            yield number, RecordError("the line nests too deep to read")
        except json.JSONDecodeError as error:
            yield number, RecordError(f"the line is not JSON ({error.msg}, column {error.colno})")


def _is_one_document(body: str) -> bool:
    try:
        return isinstance(json.loads(body), dict)
    except (json.JSONDecodeError, RecursionError):
        return False


Item = TypeVar("Item")


def gather(items: Iterable[tuple[int, Item]], convert: Callable[[Item], Event | None]) -> Parsed:
    """Convert each (position, item); a RecordError rejects that item only, None skips it.

    The one loop every source uses, so that records in = events + rejected + skipped holds
    the same way for JSON records and for lines.
    """
    parsed = Parsed(events=[], rejected=[])
    for position, item in items:
        try:
            event = convert(item)
        except RecordError as error:
            parsed.rejected.append((position, str(error)[:REASON_MAX]))
            continue
        if event is None:
            parsed.skipped += 1
        else:
            parsed.events.append(event)
    return parsed


def collect(
    records: Iterable[tuple[int, object]], convert: Callable[[dict[str, Any]], Event | None]
) -> Parsed:
    """Convert each JSON record; a RecordError rejects that record only, None skips it."""

    def checked(record: object) -> Event | None:
        if isinstance(record, RecordError):
            raise record
        if not isinstance(record, dict):
            raise RecordError(f"expected a JSON object, got {_json_type(record)}")
        return convert(record)

    return gather(records, checked)


def _json_type(value: object) -> str:
    names = {str: "a string", int: "a number", float: "a number", bool: "true/false"}
    names |= {list: "an array", type(None): "null"}
    return names.get(type(value), type(value).__name__)


# --- reading fields ---------------------------------------------------------------------


def dig(record: dict[str, Any], path: str) -> object:
    """The value at a dotted path (`rule.level`), or None when any part is missing."""
    value: object = record
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def required_text(record: dict[str, Any], path: str) -> str:
    value = dig(record, path)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RecordError(f"{path} is missing")
    if isinstance(value, dict | list):
        raise RecordError(f"{path} must be text, got {_json_type(value)}")
    return str(value).strip()


def optional_text(record: dict[str, Any], path: str) -> str:
    value = dig(record, path)
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()


def ip_text(value: str, *, path: str) -> str:
    """A valid IP address in its normal form, or "" for an empty value."""
    if not value:
        return ""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        raise RecordError(f"{path} {value!r} is not an IP address") from None


def parse_time(value: object, *, path: str) -> datetime:
    """An aware datetime from ISO 8601 text (`Z`, `+0000` and `+07:00` all work) or epoch."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=UTC)
    if not isinstance(value, str) or not value.strip():
        raise RecordError(f"{path} is missing")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise RecordError(f"{path} {value!r} is not an ISO 8601 time") from None
    if moment.utcoffset() is None:
        raise RecordError(f"{path} {value!r} has no time zone (add Z or +07:00)")
    return moment


def one_line(value: str, limit: int = SUMMARY_MAX) -> str:
    """Text on one line, whitespace collapsed, cut to `limit` characters with an ellipsis."""
    flat = re.sub(r"\s+", " ", value).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def key(*parts: object) -> str:
    """A dedup key from its parts; missing parts stay visible as "-" so keys stay stable."""
    return "|".join(str(part) if part not in (None, "") else "-" for part in parts)


# The shape every entry module of this registry has; the registry in __init__ is typed with it
# so mypy checks each module conforms (a module matches a Protocol of module-level names).
class AlertSource(Protocol):
    NAME: str  # registry key: the intake URL names it
    LABEL: str  # shown to the operator

    def parse(self, payload: Payload) -> Parsed:
        """Turn one payload into events, rejected records and a skipped count."""
