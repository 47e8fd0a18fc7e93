"""The alerts area in the tenancy sweep: one ward's alert, incident, window and policy."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from citysoc.alerts.models import (
    Alert,
    AlertLog,
    AlertSource,
    EscalationPolicy,
    EscalationStep,
    Incident,
    IncidentNote,
    MaintenanceWindow,
)

# /alerts/<pk>/…, /alerts/incidents/<pk>/note/, /alerts/maintenance/<pk>/…, /alerts/policies/<pk>/
MODELS = {
    "alerts": "alert",
    "incidents": "incident",
    "maintenance": "maintenancewindow",
    "policies": "escalationpolicy",
}
NOT_UNIT_OBJECTS = {
    "alerts:link": "a signed acknowledge/resolve link: the token names the alert",
    "alerts:incident-detail": "a redirect to /incidents/<pk>/ (swept there), for old bookmarks",
}
_FILTERS = ["", "?status=all", "?status=resolved", "?unit=ward-b", "?unit=ward-a", "?q=mark"]
QUERY_VARIANTS = {
    "alerts:home": _FILTERS,
    "alerts:alert-rows": _FILTERS,
    "alerts:incident-list": ["", "?status=open"],
}
# Object URLs that only take a POST (a GET answers 405 before looking at the object).
POST_ONLY = {
    "alerts:alert-ack",
    "alerts:alert-resolve",
    "alerts:alert-note",
    "alerts:maintenance-end",
    "alerts:incident-note",
}


def build(unit, officer, letter: str, third_octets: str) -> dict[str, int]:
    now = timezone.now()
    source = AlertSource.objects.create(unit=unit, kind="generic", name=f"MARK-{letter} IDS")
    policy = EscalationPolicy.objects.create(unit=unit, name=f"MARK-{letter} policy")
    EscalationStep.objects.create(policy=policy, position=1, target="unit_admins")
    incident = Incident.objects.create(
        unit=unit, title=f"MARK-{letter} incident", severity="high", created_by=officer
    )
    IncidentNote.objects.create(incident=incident, author=officer, text=f"MARK-{letter} note")
    alert = Alert.objects.create(
        unit=unit,
        source=source,
        dedup_key=f"mark-{letter.lower()}",
        severity="high",
        summary=f"MARK-{letter} port scan from {third_octets}.7",
        host=f"mark-{letter.lower()}-host",
        first_seen=now,
        last_seen=now,
        escalation_policy=policy,
        incident=incident,
    )
    AlertLog.objects.create(alert=alert, at=now, kind="note", text=f"MARK-{letter} note")
    window = MaintenanceWindow.objects.create(
        unit=unit,
        source=source,
        starts_at=now,
        ends_at=now + dt.timedelta(hours=1),
        reason=f"MARK-{letter} maintenance",
    )
    return {
        "alert": alert.pk,
        "incident": incident.pk,
        "maintenancewindow": window.pk,
        "escalationpolicy": policy.pk,
    }
