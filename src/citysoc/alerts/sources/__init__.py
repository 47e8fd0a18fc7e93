"""Alert sources: one module per monitoring tool's payload, registered in SOURCES.

Each module has `NAME`, `LABEL` and `parse(payload) -> Parsed` (see `base.py`): it turns an
HTTP body, a syslog batch or a file into `Event`s in one contract, rejecting bad records
with their position and a reason while the rest parse. No Django here: the intake view
(`POST /api/alerts/intake/<source>/`) and the syslog listener call `parse()`.

| NAME | reads | dedup_key | severity from |
| --- | --- | --- | --- |
| generic | our JSON contract (object or array) | `dedup_key`, else source\\|summary | `severity` |
| alertmanager | Alertmanager webhook v4 | `fingerprint` | `labels.severity` |
| wazuh | Wazuh alert JSON / alerts.json lines | rule id\\|agent\\|src ip | `rule.level` 0–15 |
| suricata | EVE JSON alerts (others skipped) | gid:sid\\|src ip\\|dest ip | `alert.severity` 1–3 |
| zeek | notice.log, TSV or JSON lines | note\\|src\\|dst | the note |
| fortigate | FortiGate key=value lines | subtype:signature\\|src\\|dst | `severity=`, `level` |
| iptables | netfilter LOG lines (UFW, Proxmox) | prefix\\|src\\|proto/dst port | the prefix |

Each module's docstring gives its exact mapping. fortigate and iptables are line formats
that also arrive by syslog (`citysoc syslog`, see `alerts/syslog.py`): an RFC 3164 or
RFC 5424 header in front of a line is accepted.
"""

from __future__ import annotations

from citysoc.alerts.sources import (
    alertmanager,
    fortigate,
    generic,
    iptables,
    suricata,
    wazuh,
    zeek,
)
from citysoc.alerts.sources.base import AlertSource, Event, Parsed, Payload, PayloadError

__all__ = [
    "SOURCES",
    "AlertSource",
    "Event",
    "Parsed",
    "PayloadError",
    "UnknownSourceError",
    "parse",
]

# Typed with the Protocol so mypy checks every module has NAME, LABEL and parse() as declared.
_ENTRIES: tuple[AlertSource, ...] = (
    generic,
    alertmanager,
    wazuh,
    suricata,
    zeek,
    fortigate,
    iptables,
)
SOURCES: dict[str, AlertSource] = {m.NAME: m for m in _ENTRIES}


class UnknownSourceError(LookupError):
    """No source by that name: the intake URL names a tool we do not read."""


def parse(name: str, payload: Payload) -> Parsed:
    """Parse a payload with the named source's parser."""
    if name not in SOURCES:
        raise UnknownSourceError(f"unknown alert source {name!r}; known: {', '.join(SOURCES)}")
    return SOURCES[name].parse(payload)
