"""Our own JSON contract: one object, or an array of objects, with the event's fields.

Any script or tool that cannot speak a format below can POST this:

    {"action": "trigger", "severity": "high", "summary": "Disk 95% full on web01",
     "dedup_key": "web01-disk", "source": "nagios", "host": "web01.example",
     "occurred_at": "2026-11-29T08:00:00+07:00", "details": {"mount": "/var"},
     "links": ["https://nagios.example/web01"], "src_ip": "", "dst_ip": ""}

- `summary` (one line, at most 200 characters) and `severity` are required. `severity` is
  one of ours (critical, high, medium, low, info) or any word of `severity.WORDS`: syslog
  level names and numbers 0–7 (`warning`, `err`, `4`), Nagios/Icinga and Zabbix words
  (`Disaster`, `Average`, `Not classified`), Alertmanager labels; the word as sent is kept.
- `action` is trigger (the default), acknowledge or resolve.
- `dedup_key` groups repeats of one problem; without it the key is `source|summary`, so
  send a key whenever the summary carries changing numbers.
- `source` is the sender's own name (kept in details["source"]); `occurred_at` is ISO 8601
  with a time zone; `src_ip`/`dst_ip` must be IP addresses; `details` an object; `links` an
  array of http(s) URLs.
- An unknown field rejects the record, so a misspelt `severty` is not silently ignored.
"""

from __future__ import annotations

from typing import Any

from citysoc.alerts import severity
from citysoc.alerts.sources import base
from citysoc.alerts.sources.base import ACTIONS, SEVERITIES, Event, Parsed, Payload, RecordError

NAME = "generic"
LABEL = "citysoc JSON"
EXPECTED = "a citysoc alert JSON object or array of objects"

FIELDS = (
    "action",
    "dedup_key",
    "severity",
    "source",
    "summary",
    "details",
    "occurred_at",
    "links",
    "host",
    "src_ip",
    "dst_ip",
)


def parse(payload: Payload) -> Parsed:
    document = base.load_json(payload, expected=EXPECTED)
    if isinstance(document, dict):
        records = [document]
    elif isinstance(document, list):
        records = document
    else:
        raise base.PayloadError(f"expected {EXPECTED}, got a JSON {type(document).__name__}")
    return base.collect(enumerate(records), _event)


def _event(record: dict[str, Any]) -> Event:
    unknown = sorted(set(record) - set(FIELDS))
    if unknown:
        raise RecordError(f"unknown field {unknown[0]!r} (known fields: {', '.join(FIELDS)})")
    summary = base.required_text(record, "summary")
    if "\n" in summary or len(summary) > base.SUMMARY_MAX:
        raise RecordError(f"summary must be one line of at most {base.SUMMARY_MAX} characters")
    sender = base.optional_text(record, "source")
    details = _details(record)
    if sender:
        details.setdefault("source", sender)
    occurred = record.get("occurred_at")
    return Event(
        action=_choice(record, "action", ACTIONS, default="trigger"),
        dedup_key=base.optional_text(record, "dedup_key") or base.key(sender, summary),
        severity=_severity(record),
        severity_word=severity.as_sent(record.get("severity")),
        source=NAME,
        summary=summary,
        details=details,
        occurred_at=None if occurred is None else base.parse_time(occurred, path="occurred_at"),
        links=_links(record),
        host=base.optional_text(record, "host"),
        src_ip=base.ip_text(base.optional_text(record, "src_ip"), path="src_ip"),
        dst_ip=base.ip_text(base.optional_text(record, "dst_ip"), path="dst_ip"),
    )


def _choice(
    record: dict[str, Any], name: str, allowed: tuple[str, ...], *, default: str | None
) -> str:
    value = record.get(name)
    if value is None and default is not None:
        return default
    if value is None:
        raise RecordError(f"{name} is missing (one of: {', '.join(allowed)})")
    if not isinstance(value, str) or value.strip().lower() not in allowed:
        raise RecordError(f"{name} {value!r} is not one of: {', '.join(allowed)}")
    return value.strip().lower()


def _severity(record: dict[str, Any]) -> str:
    value = record.get("severity")
    if value is None:
        raise RecordError(f"severity is missing (one of: {', '.join(SEVERITIES)})")
    level = severity.level_of(value)
    if level is None:
        raise RecordError(
            f"severity {value!r} is not one of: {', '.join(SEVERITIES)}"
            " (or a syslog level 0-7, or a syslog, Nagios, Zabbix or Alertmanager word)"
        )
    return level


def _details(record: dict[str, Any]) -> dict[str, Any]:
    details = record.get("details", {})
    if not isinstance(details, dict):
        raise RecordError("details must be a JSON object")
    return dict(details)


def _links(record: dict[str, Any]) -> list[str]:
    links = record.get("links", [])
    if not isinstance(links, list):
        raise RecordError("links must be an array of URLs")
    for number, link in enumerate(links):
        if not isinstance(link, str) or not link.startswith(("http://", "https://")):
            raise RecordError(f"links[{number}] {link!r} is not an http(s) URL")
    return list(links)
