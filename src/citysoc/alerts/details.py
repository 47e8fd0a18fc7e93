"""An alert's details as labelled fields for the alert page, instead of raw JSON.

The sources keep the tool's own field names in `details` (`rule_id`, `dstport`,
`labels`…): that is what the API gives integrators. People read a label from the catalogue
below (translated), the value as text, and a nested object (Alertmanager's labels and
annotations) as a short list of its own labelled fields. A name that is not in the
catalogue (a script's own field) is shown tidied ("disk_mount" → "Disk mount"); the raw
name stays in the row for a tooltip.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Field name (as the sources store it) -> label. Shared names mean the same in every source.
LABELS = {
    # several sources, and citysoc's own checks
    "source": _("Sent by"),
    "status": _("Status"),
    "error": _("Error"),
    "last_error": _("Last error"),
    "name": _("Name"),
    "url": _("Web address"),
    "evidence": _("Evidence"),
    "path": _("Folder"),
    "when": _("Last heard"),
    "every": _("Expected every"),
    "expected_every": _("Expected every"),
    "feed": _("Feed"),
    "kind": _("Kind"),
    "sender_addresses": _("Sender addresses"),
    "urgency": _("Urgency"),
    "proto": _("Protocol"),
    "type": _("Type"),
    "msg": _("Message"),
    "action": _("Action"),
    "reason": _("Reason"),
    "level": _("Level"),
    "severity": _("Severity"),
    "user": _("User"),
    # website watch (webwatch/recording.py and its checks' evidence)
    "check": _("Check"),
    "finding": pgettext_lazy("website finding", "Finding"),
    "title": _("Title"),
    "page": _("Page"),
    "changed_ratio": _("Share of the page changed"),
    "diff": _("Changes from the baseline"),
    # Alertmanager
    "labels": _("Labels"),
    "annotations": _("Annotations"),
    "alertname": _("Alert name"),
    "instance": _("Instance"),
    "job": _("Job"),
    "summary": _("Summary"),
    "description": _("Description"),
    "runbook_url": _("Runbook"),
    # Wazuh
    "alert_id": _("Alert ID"),
    "rule_id": _("Rule"),
    "rule_description": _("Rule description"),
    "rule_level": _("Rule level"),
    "rule_groups": _("Rule groups"),
    "mitre_ids": _("MITRE ATT&CK techniques"),
    "agent_id": _("Agent ID"),
    "agent_name": _("Agent"),
    "agent_ip": _("Agent IP address"),
    "manager": _("Manager"),
    "decoder": _("Decoder"),
    "location": _("Log location"),
    "srcip": _("Source IP address"),
    "srcport": _("Source port"),
    "srcuser": _("Source user"),
    "dstip": _("Destination IP address"),
    "dstport": _("Destination port"),
    "dstuser": _("Destination user"),
    # Suricata
    "signature_id": _("Signature ID"),
    "gid": _("Generator ID"),
    "rev": _("Revision"),
    "signature": _("Signature"),
    "category": _("Category"),
    "alert_action": _("Action taken"),
    "suricata_severity": _("Suricata severity"),
    "src_port": _("Source port"),
    "dest_port": _("Destination port"),
    "app_proto": _("Application protocol"),
    "flow_id": _("Flow ID"),
    "in_iface": _("Interface"),
    "sensor": _("Sensor"),
    "community_id": _("Community ID"),
    # Zeek
    "uid": _("Connection ID"),
    "note": _("Notice type"),
    "sub": _("Further message"),
    "src": _("Source"),
    "dst": _("Destination"),
    "p": _("Port"),
    "n": _("Count"),
    "fuid": _("File ID"),
    "actions": _("Actions"),
    "id.orig_h": _("Source IP address"),
    "id.orig_p": _("Source port"),
    "id.resp_h": _("Destination IP address"),
    "id.resp_p": _("Destination port"),
    "peer_descr": _("Sensor"),
    # FortiGate
    "devname": _("Device"),
    "devid": _("Device ID"),
    "vd": _("Virtual domain"),
    "logid": _("Log ID"),
    "subtype": _("Subtype"),
    "attack": _("Attack"),
    "attackid": _("Attack ID"),
    "virus": _("Virus"),
    "logdesc": _("Description"),
    "service": _("Service"),
    "policyid": _("Policy"),
    "srcintf": _("Source interface"),
    "dstintf": _("Destination interface"),
    "hostname": _("Host name"),
    "qname": _("DNS query"),
    "app": _("Application"),
    "catdesc": _("Category"),
    "crlevel": _("Risk level"),
    "ref": _("Reference"),
    # iptables (netfilter LOG)
    "in": _("Inbound interface"),
    "out": _("Outbound interface"),
    "physin": _("Physical inbound interface"),
    "physout": _("Physical outbound interface"),
    "spt": _("Source port"),
    "dpt": _("Destination port"),
    "len": _("Packet length"),
    "ttl": _("TTL"),
}


@dataclass
class Row:
    """One field of the details card: label, raw name, and text or nested rows."""

    label: str
    name: str
    text: str = ""
    block: bool = False  # keep line breaks and indentation (<pre>)
    rows: list[Row] = field(default_factory=list)


def label_of(name: str) -> str:
    known = LABELS.get(name) or LABELS.get(name.lower())
    if known is not None:
        return str(known)
    tidy = name.replace("_", " ").replace(".", " ").strip()
    return tidy[:1].upper() + tidy[1:] if tidy else name


def _text(value: object) -> tuple[str, bool]:
    if value is None:
        return "—", False
    if isinstance(value, bool):
        return (str(_("yes")) if value else str(_("no"))), False
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return ", ".join(str(v) for v in value), False
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, indent=2, default=str), True
    text = str(value)
    return text, "\n" in text


def rows(details: dict | None) -> list[Row]:
    """The details in the order the source wrote them; one level of nesting as sub-rows."""
    result = []
    for name, value in (details or {}).items():
        if isinstance(value, dict) and value:
            nested = [Row(label_of(k), k, *_text(v)) for k, v in value.items()]
            result.append(Row(label_of(name), name, rows=nested))
        else:
            result.append(Row(label_of(name), name, *_text(value)))
    return result
