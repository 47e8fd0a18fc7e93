"""Syslog message headers (RFC 3164, RFC 5424, a bare `<PRI>`) and line-by-line reading.

Shared by the firewall alert sources (FortiGate, iptables) and the syslog listener; no
Django here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from citysoc.alerts.sources.base import Event, Parsed, PayloadError, gather
from citysoc.engine.readers._common import SYSLOG_TIME

# Devices that stamp local time without a zone (RFC 3164, FortiGate without `tz=`) are
# taken to run on the city's clock.
LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")

_HEADER_START = re.compile(SYSLOG_TIME)  # the engine's pattern: <PRI>, version, time
_PRI_ONLY = re.compile(r"^<\d{1,3}>(?:1 )?")
_RFC5424 = re.compile(r"^<\d{1,3}>1 ")
_TAG = re.compile(r"^[\w./-]+(?:\[\d+\])?:$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Header:
    """What the syslog header said: when, which host, which program (all optional)."""

    time: datetime | None = None
    host: str = ""
    app: str = ""


def split_header(line: str, *, now: datetime | None = None) -> tuple[Header, str]:
    """Separate an RFC 3164 or RFC 5424 header (or a bare `<PRI>`) from the message.

    A line without a header is returned whole, so files written by the device itself
    (no syslog in between) read the same.
    """
    line = line.rstrip("\r\n\x00")
    match = _HEADER_START.match(line)
    if match is None:
        bare = _PRI_ONLY.match(line)
        rest = line[bare.end() :] if bare else line
        if bare and _RFC5424.match(line) and rest.startswith("- "):  # RFC 5424 with no time
            return _rfc5424_rest(None, rest[2:])
        return Header(), rest
    when = header_time(match.group("time"), now=now)
    rest = line[match.end() :]
    if _RFC5424.match(line):
        return _rfc5424_rest(when, rest.lstrip(" "))
    return _rfc3164_rest(when, rest.lstrip(" "))


def _rfc5424_rest(when: datetime | None, rest: str) -> tuple[Header, str]:
    # HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG; "-" is an empty field.
    parts = rest.split(" ", 4)
    while len(parts) < 5:
        parts.append("")
    host, app, _procid, _msgid, tail = parts
    message = _skip_structured_data(tail)
    return Header(when, "" if host == "-" else host, "" if app == "-" else app), message


def _skip_structured_data(text: str) -> str:
    if text.startswith("- ") or text == "-":
        return text[2:]
    position = 0
    while position < len(text) and text[position] == "[":
        position += 1
        while position < len(text) and text[position] != "]":
            position += 2 if text[position] == "\\" else 1
        position += 1
    return text[position:].lstrip(" ").removeprefix("\ufeff")


def _rfc3164_rest(when: datetime | None, rest: str) -> tuple[Header, str]:
    first, _, after = rest.partition(" ")
    if "=" in first:  # no host name: the message (key=value) follows the time directly
        return Header(when), rest
    if _TAG.match(first):  # no host name, only a tag ("kernel:")
        return Header(when, "", first.split("[")[0].rstrip(":")), after
    tag, _, message = after.partition(" ")
    if _TAG.match(tag):
        return Header(when, first, tag.split("[")[0].rstrip(":")), message
    return Header(when, first), after


def header_time(text: str, *, now: datetime | None = None) -> datetime | None:
    """An aware time from a syslog header: ISO 8601 as given, or `Mmm dd hh:mm:ss` local.

    RFC 3164 times carry no year: the current one is used, or last year's when that would
    put the message more than a day in the future (a December message read in January).
    """
    if text[:4].isdigit():
        try:
            moment = datetime.fromisoformat(text.replace(" ", "T", 1))
        except ValueError:
            return None
        return moment if moment.utcoffset() is not None else moment.replace(tzinfo=LOCAL_ZONE)
    now = (now or datetime.now(LOCAL_ZONE)).astimezone(LOCAL_ZONE)
    try:
        month = _MONTHS.index(text[:3]) + 1
        day_text, clock = text[3:].split()
        hour, minute, second = (int(x) for x in clock.split(":"))
        moment = datetime(now.year, month, int(day_text), hour, minute, second, tzinfo=LOCAL_ZONE)
    except ValueError:
        return None
    if moment - now > timedelta(days=1):
        moment = moment.replace(year=now.year - 1)
    return moment


def read_lines(body: str, parse_line: Callable[[str], Event | None], expected: str) -> Parsed:
    """Parse a text one line at a time: a RecordError rejects that line (1-based number)."""
    if not body.strip():
        raise PayloadError(f"expected {expected}, got an empty body")
    lines = ((n, line) for n, line in enumerate(body.splitlines(), start=1) if line.strip())
    return gather(lines, parse_line)
