"""Prometheus Alertmanager webhook (`webhook_configs`, payload version 4).

Alertmanager POSTs one group: `{"version": "4", "status": ..., "alerts": [...],
"externalURL": ...}`. Each entry of `alerts` is one event:

- `status` firing → trigger, resolved → resolve; `occurred_at` is `startsAt` when firing and
  `endsAt` when resolved.
- `dedup_key` is the alert's `fingerprint` (a hash of its labels, the same for every repeat
  and for its resolve). Payloads from Alertmanager older than 0.19 have no fingerprint:
  the key is then `alertname|instance|job` from the labels.
- severity from `labels.severity` through the shared table (`alerts/severity.py`): critical/page →
  critical; error/high/major → high; warning/warn/medium → medium; low/minor → low;
  info/informational/none → info; a missing or other value → medium. The label as sent is
  kept as the event's `severity_word` (and in details["labels"]).
- summary: `annotations.summary`, else `annotations.description`, else `alertname` plus
  `instance`. `host` is `labels.instance` without its port.
- links: `generatorURL` and `annotations.runbook_url` when present.
"""

from __future__ import annotations

from typing import Any

from citysoc.alerts import severity
from citysoc.alerts.sources import base
from citysoc.alerts.sources.base import Event, Parsed, Payload, RecordError

NAME = "alertmanager"
LABEL = "Prometheus Alertmanager"
EXPECTED = 'an Alertmanager webhook JSON object (version "4", with an "alerts" array)'

ACTION = {"firing": "trigger", "resolved": "resolve"}
DEFAULT_SEVERITY = "medium"


def parse(payload: Payload) -> Parsed:
    document = base.load_json(payload, expected=EXPECTED)
    if not isinstance(document, dict) or not isinstance(document.get("alerts"), list):
        raise base.PayloadError(f"expected {EXPECTED}")
    version = str(document.get("version", "4"))
    if version != "4":
        raise base.PayloadError(f'expected webhook payload version "4", got {version!r}')
    return base.collect(enumerate(document["alerts"]), _event)


def _event(alert: dict[str, Any]) -> Event:
    status = base.required_text(alert, "status")
    if status not in ACTION:
        raise RecordError(f"status {status!r} is not firing or resolved")
    labels = _mapping(alert, "labels")
    annotations = _mapping(alert, "annotations")
    alertname = base.required_text(alert, "labels.alertname")
    instance = str(labels.get("instance", ""))
    when = "startsAt" if status == "firing" else "endsAt"
    return Event(
        action=ACTION[status],
        dedup_key=base.optional_text(alert, "fingerprint")
        or base.key(alertname, instance, labels.get("job")),
        severity=severity.level_of(labels.get("severity")) or DEFAULT_SEVERITY,
        severity_word=severity.as_sent(labels.get("severity")),
        source=NAME,
        summary=base.one_line(_summary(annotations, alertname, instance)),
        details={"labels": labels, "annotations": annotations, "status": status},
        occurred_at=base.parse_time(alert.get(when), path=when),
        links=[url for url in (alert.get("generatorURL"), annotations.get("runbook_url")) if url],
        host=_host(instance),
    )


def _mapping(alert: dict[str, Any], name: str) -> dict[str, Any]:
    value = alert.get(name, {})
    if not isinstance(value, dict):
        raise RecordError(f"{name} must be a JSON object")
    return value


def _summary(annotations: dict[str, Any], alertname: str, instance: str) -> str:
    text = str(annotations.get("summary") or annotations.get("description") or "")
    return text or (f"{alertname} on {instance}" if instance else alertname)


def _host(instance: str) -> str:
    """`node1.example:9100` → `node1.example`; `[2001:db8::1]:9100` → `2001:db8::1`."""
    if instance.startswith("["):
        return instance[1:].split("]", 1)[0]
    if instance.count(":") == 1:
        return instance.split(":", 1)[0]
    return instance
