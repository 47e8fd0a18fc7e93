"""Suricata EVE JSON `alert` events (eve.json lines, a JSON array, or one object).

Only `event_type: "alert"` records are events; flow, stats, dns, http and other EVE records
are counted in `skipped`. Each alert is one trigger event.

- severity from `alert.severity` (1 is the most severe): 1 → high, 2 → medium, 3 → low,
  anything else → info. No Suricata severity maps to critical: the duty officer raises that.
- `dedup_key` is `gid:signature_id|src_ip|dest_ip`: the same signature between the same two
  addresses is one problem, whatever the source port.
- summary: `alert.signature`; src_ip/dst_ip from `src_ip`/`dest_ip` (both required).
  `host` is `alert.target.ip` when the rule declares a target, else empty: the unit is then
  found from src_ip and dst_ip.
- `occurred_at` is `timestamp` (`2022-07-10T23:50:05.533101+0000`).
"""

from __future__ import annotations

from typing import Any

from citysoc.alerts.sources import base
from citysoc.alerts.sources.base import Event, Parsed, Payload, RecordError

NAME = "suricata"
LABEL = "Suricata EVE JSON"
EXPECTED = "Suricata EVE JSON (eve.json lines, an array or one event object)"

SEVERITY = {1: "high", 2: "medium", 3: "low"}


def parse(payload: Payload) -> Parsed:
    return base.collect(base.json_records(payload, expected=EXPECTED), _event)


def _event(record: dict[str, Any]) -> Event | None:
    event_type = record.get("event_type")
    if event_type is None:
        raise RecordError("event_type is missing: not an EVE record")
    if event_type != "alert":
        return None
    if not isinstance(record.get("alert"), dict):
        raise RecordError("alert is missing from an event_type alert record")
    src = base.ip_text(base.required_text(record, "src_ip"), path="src_ip")
    dst = base.ip_text(base.required_text(record, "dest_ip"), path="dest_ip")
    sid = base.required_text(record, "alert.signature_id")
    gid = base.optional_text(record, "alert.gid") or "1"
    return Event(
        action="trigger",
        dedup_key=base.key(f"{gid}:{sid}", src, dst),
        severity=SEVERITY.get(_number(record["alert"].get("severity")) or 0, "info"),
        severity_word=base.optional_text(record, "alert.severity")[:40],
        source=NAME,
        summary=base.one_line(base.required_text(record, "alert.signature")),
        details=_details(record),
        occurred_at=base.parse_time(record.get("timestamp"), path="timestamp"),
        host=base.optional_text(record, "alert.target.ip"),
        src_ip=src,
        dst_ip=dst,
    )


def _number(value: object) -> int | None:
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return int(value)
    return None


def _details(record: dict[str, Any]) -> dict[str, Any]:
    alert = record["alert"]
    details = {
        "signature_id": alert.get("signature_id"),
        "gid": alert.get("gid"),
        "rev": alert.get("rev"),
        "signature": alert.get("signature"),
        "category": alert.get("category"),
        "alert_action": alert.get("action"),
        "suricata_severity": alert.get("severity"),
        "src_port": record.get("src_port"),
        "dest_port": record.get("dest_port"),
        "proto": record.get("proto"),
        "app_proto": record.get("app_proto"),
        "flow_id": record.get("flow_id"),
        "in_iface": record.get("in_iface"),
        "sensor": record.get("host"),
        "community_id": record.get("community_id"),
    }
    metadata = alert.get("metadata")
    if isinstance(metadata, dict) and (cves := metadata.get("cve")):
        details["cve"] = cves
    return {name: value for name, value in details.items() if value not in (None, "")}
