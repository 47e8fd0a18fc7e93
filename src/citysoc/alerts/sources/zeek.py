"""Zeek `notice.log`: the TSV log with its `#fields` header, or JSON lines (gzip accepted).

Each notice is one trigger event. A TSV log whose `#path` is not `notice` is refused as a
whole; comment lines (`#...`) are headers, not records.

- `dedup_key` is `note|src|dst` (`src`/`dst`, else the connection's `id.orig_h`/`id.resp_h`):
  the same notice between the same addresses is one problem.
- severity: Zeek notices carry none, so it follows the note: the table NOTE_SEVERITY below,
  else medium; a notice whose actions include `Notice::ACTION_ALARM` is at least high.
- summary: `msg` (else the note); src_ip/dst_ip: the src/dst above; host is left empty (the
  unit is found from the two addresses); `occurred_at` is `ts` (epoch seconds, or ISO 8601
  when Zeek writes JSON with `JSON::TS_FORMAT`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from citysoc.alerts.sources import base
from citysoc.alerts.sources.base import Event, Parsed, Payload, RecordError

NAME = "zeek"
LABEL = "Zeek notice.log"
EXPECTED = "a Zeek notice.log (TSV with a #fields header, or JSON lines)"

NOTE_SEVERITY = {
    "SSH::Password_Guessing": "high",
    "Intel::Notice": "high",
    "Signatures::Sensitive_Signature": "high",
    "Signatures::Multiple_Signatures": "high",
    "HTTP::SQL_Injection_Attacker": "high",
    "HTTP::SQL_Injection_Victim": "high",
    "TeamCymruMalwareHashRegistry::Match": "high",
    "Scan::Address_Scan": "low",
    "Scan::Port_Scan": "low",
    "SSL::Invalid_Server_Cert": "low",
    "SSL::Certificate_Expired": "low",
    "SSL::Certificate_Expires_Soon": "low",
    "SSL::Certificate_Not_Valid_Yet": "low",
    "SSL::Weak_Key": "low",
    "Software::Software_Version_Change": "info",
    "Notice::Tally": "info",
    "CaptureLoss::Too_Much_Loss": "info",
}
RANK = ("info", "low", "medium", "high", "critical")
ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})")


def parse(payload: Payload) -> Parsed:
    if isinstance(payload, dict | list):
        return base.collect(base.json_records(payload, expected=EXPECTED), _event)
    body = base.text(payload, expected=EXPECTED)
    if body.lstrip().startswith("{"):
        return base.collect(base.json_records(body, expected=EXPECTED), _event)
    if not body.strip():
        raise base.PayloadError(f"expected {EXPECTED}, got an empty body")
    return base.collect(_tsv_records(body), _event)


def _tsv_records(body: str) -> Iterator[tuple[int, object]]:
    separator, unset, empty, fields = "\t", "-", "(empty)", None
    for number, line in enumerate(body.splitlines(), start=1):
        if line.startswith("#"):
            # "#separator \x09" uses a space; the other headers use the separator itself.
            gap = " " if line.startswith("#separator ") else separator
            name, _, value = line[1:].partition(gap)
            if name == "separator":
                separator = value.strip().encode().decode("unicode_escape")
            elif name == "path" and value.strip() != "notice":
                raise base.PayloadError(f"expected a Zeek notice.log, got #path {value.strip()}")
            elif name == "unset_field":
                unset = value
            elif name == "empty_field":
                empty = value
            elif name == "fields":
                fields = value.split(separator)
            continue
        if not line.strip():
            continue
        if fields is None:
            raise base.PayloadError(
                f"expected {EXPECTED}: line {number} is data before any #fields header"
            )
        yield number, _tsv_row(line.split(separator), fields, unset, empty)


def _tsv_row(values: list[str], fields: list[str], unset: str, empty: str) -> object:
    if len(values) != len(fields):
        return RecordError(f"expected {len(fields)} tab-separated fields, got {len(values)}")
    row: dict[str, Any] = {}
    for name, value in zip(fields, values, strict=True):
        if value == unset:
            continue
        row[name] = "" if value == empty else ESCAPE.sub(lambda m: chr(int(m[1], 16)), value)
    if "ts" in row:
        try:
            row["ts"] = float(row["ts"])
        except ValueError:
            return RecordError(f"ts {row['ts']!r} is not a Zeek time (epoch seconds)")
    return row


def _event(notice: dict[str, Any]) -> Event:
    note = _field(notice, "note")
    if not note:
        raise RecordError("note is missing: not a notice.log record")
    src = _address(notice, "src", "id.orig_h")
    dst = _address(notice, "dst", "id.resp_h")
    return Event(
        action="trigger",
        dedup_key=base.key(note, src, dst),
        severity=_severity(note, notice.get("actions")),
        source=NAME,
        summary=base.one_line(_field(notice, "msg") or note),
        details=_details(notice),
        occurred_at=base.parse_time(notice.get("ts"), path="ts"),
        src_ip=src,
        dst_ip=dst,
    )


def _field(notice: dict[str, Any], name: str) -> str:
    # JSON logs keep dotted names flat ("id.orig_h"); fall back to nested objects.
    value = notice.get(name, base.dig(notice, name))
    return "" if value is None or isinstance(value, dict | list) else str(value).strip()


def _address(notice: dict[str, Any], name: str, fallback: str) -> str:
    value = _field(notice, name) or _field(notice, fallback)
    return base.ip_text(value, path=name if _field(notice, name) else fallback)


def _severity(note: str, actions: object) -> str:
    severity = NOTE_SEVERITY.get(note, "medium")
    action_text = json.dumps(actions) if isinstance(actions, list) else str(actions or "")
    if "Notice::ACTION_ALARM" in action_text and RANK.index(severity) < RANK.index("high"):
        return "high"
    return severity


def _details(notice: dict[str, Any]) -> dict[str, Any]:
    names: tuple[str, ...] = (
        "uid",
        "note",
        "msg",
        "sub",
        "src",
        "dst",
        "p",
        "n",
        "proto",
        "fuid",
        "actions",
    )
    names += ("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "peer_descr")
    return {name: notice[name] for name in names if notice.get(name) not in (None, "")}
