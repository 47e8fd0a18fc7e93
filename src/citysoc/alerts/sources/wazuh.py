"""Wazuh alerts as a custom integration sends them (the alert JSON of `alerts.json`).

The body is one alert object, an array of alerts, or `alerts.json` lines (one alert per
line). Each alert is one trigger event; Wazuh sends no resolves.

- severity from `rule.level` (0–15): ≥ 12 critical, ≥ 10 high, ≥ 7 medium, ≥ 4 low, else
  info. A level outside 0–15 rejects the alert.
- `dedup_key` is `rule.id|agent|data.srcip`, the agent being `agent.name` (else `agent.id`):
  the same rule firing on the same agent for the same attacker is one problem.
- summary: `rule.description`; host: `agent.name`, else `agent.ip`; src_ip/dst_ip:
  `data.srcip`/`data.dstip` (a value that is not an IP is kept in details, not rejected).
- `occurred_at` is `timestamp` (`2026-11-29T08:00:00.123+0700`).
"""

from __future__ import annotations

from typing import Any

from citysoc.alerts.sources import base
from citysoc.alerts.sources.base import Event, Parsed, Payload, RecordError

NAME = "wazuh"
LABEL = "Wazuh"
EXPECTED = "a Wazuh alert JSON object, an array of alerts or alerts.json lines"

# (lowest level, severity), highest first.
LEVELS = ((12, "critical"), (10, "high"), (7, "medium"), (4, "low"), (0, "info"))


def parse(payload: Payload) -> Parsed:
    return base.collect(base.json_records(payload, expected=EXPECTED), _event)


def _event(alert: dict[str, Any]) -> Event:
    level = _level(alert)
    rule_id = base.required_text(alert, "rule.id")
    agent = base.optional_text(alert, "agent.name") or base.optional_text(alert, "agent.id")
    src = base.optional_text(alert, "data.srcip")
    return Event(
        action="trigger",
        dedup_key=base.key(rule_id, agent, src),
        severity=severity(level),
        severity_word=str(level),
        source=NAME,
        summary=base.one_line(base.required_text(alert, "rule.description")),
        details=_details(alert, level),
        occurred_at=base.parse_time(alert.get("timestamp"), path="timestamp"),
        host=base.optional_text(alert, "agent.name") or base.optional_text(alert, "agent.ip"),
        src_ip=_ip_or_blank(src),
        dst_ip=_ip_or_blank(base.optional_text(alert, "data.dstip")),
    )


def severity(level: int) -> str:
    return next(name for lowest, name in LEVELS if level >= lowest)


def _level(alert: dict[str, Any]) -> int:
    value = base.dig(alert, "rule.level")
    if value is None:
        raise RecordError("rule.level is missing")
    if not isinstance(value, (int, float, str)):
        raise RecordError(f"rule.level {value!r} is not a number")
    try:
        level = int(value)
    except (TypeError, ValueError):
        raise RecordError(f"rule.level {value!r} is not a number") from None
    if not 0 <= level <= 15:
        raise RecordError(f"rule.level {level} is outside Wazuh's 0–15")
    return level


def _details(alert: dict[str, Any], level: int) -> dict[str, Any]:
    text = {
        name: base.optional_text(alert, path)
        for name, path in (
            ("alert_id", "id"),
            ("rule_id", "rule.id"),
            ("rule_description", "rule.description"),
            ("agent_id", "agent.id"),
            ("agent_name", "agent.name"),
            ("agent_ip", "agent.ip"),
            ("manager", "manager.name"),
            ("decoder", "decoder.name"),
            ("location", "location"),
            ("srcip", "data.srcip"),
            ("srcport", "data.srcport"),
            ("srcuser", "data.srcuser"),
            ("dstip", "data.dstip"),
            ("dstport", "data.dstport"),
            ("dstuser", "data.dstuser"),
        )
    }
    details: dict[str, Any] = {name: value for name, value in text.items() if value}
    details["rule_level"] = level
    for name, path in (("rule_groups", "rule.groups"), ("mitre_ids", "rule.mitre.id")):
        if isinstance(base.dig(alert, path), list):
            details[name] = base.dig(alert, path)
    if full_log := base.optional_text(alert, "full_log"):
        details["full_log"] = full_log[:2000]
    return details


def _ip_or_blank(value: str) -> str:
    try:
        return base.ip_text(value, path="")
    except RecordError:
        return ""
