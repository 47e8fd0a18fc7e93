"""Alert sources and the alerts API in the tenancy sweep: one ward's source and alert.

The intake endpoint (`/api/alerts/intake/<str:source>/`) takes a tool's name, not an object:
the sweep GETs it as a page, which answers 405 (POST only) and shows nothing.
"""

from __future__ import annotations

from django.utils import timezone

from citysoc.alerts import intake
from citysoc.alerts.models import AlertSource
from citysoc.alerts.sources.base import Event

MODELS = {
    # Not "sources": that segment is the botnet lists' (intel) indicator source.
    "alert-sources": "alertsource",
    "alerts": "alert",
}
# API actions that only take a POST: a GET answers 405 before looking at the object.
POST_ONLY = {"alert-acknowledge", "alert-resolve", "alert-source-rotate"}


def build(unit, officer, letter: str, third_octets: str) -> dict[str, int]:
    source = AlertSource(unit=unit, kind="wazuh", name=f"MARK-{letter} Wazuh")
    source.new_token()
    source.save()
    event = Event(
        action="trigger",
        dedup_key=f"5710|mark-{letter.lower()}-host|{third_octets}.7",
        severity="high",
        source="wazuh",
        summary=f"MARK-{letter} sshd: attempt to login using a non-existent user",
        details={"rule": {"id": "5710"}},
        occurred_at=timezone.now(),
        host=f"mark-{letter.lower()}-host",
        src_ip=f"{third_octets}.7",
    )
    result = intake.ingest(source, [event])
    return {"alertsource": source.pk, "alert": result.alert_ids[0]}
