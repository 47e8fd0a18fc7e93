"""Incidents, minimal for now: promote alerts to one, write notes, change its status.

A status change is written as a note too, so the notes are the incident's whole timeline.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.alerts.models import SEVERITIES, Alert, AlertLog, Incident, IncidentNote

# Most severe first: the incident takes the worst severity among its alerts.
SEVERITY_ORDER = [value for value, _label in SEVERITIES]


class PromoteError(ValueError):
    """Alerts that cannot become one incident; the message says why."""


def worst(severities: Sequence[str]) -> str:
    return min(severities, key=SEVERITY_ORDER.index)


def promote(alerts: Sequence[Alert], *, by, title: str = "") -> Incident:
    """Open an incident for these alerts (of one unit) and link them to it."""
    alerts = list(alerts)
    if not alerts:
        raise PromoteError(_("Choose at least one alert."))
    units = {a.unit_id for a in alerts}
    if len(units) > 1:
        raise PromoteError(
            _("These alerts belong to several units: promote each unit's alerts separately.")
        )
    who = display_name(by)
    now = timezone.now()
    with transaction.atomic():
        incident = Incident.objects.create(
            unit=alerts[0].unit,
            title=(title or alerts[0].summary)[:300],
            severity=worst([a.severity for a in alerts]),
            created_by=by,
            # The report deadlines (citysoc.incidents) run from the first sighting.
            detected_at=min(a.first_seen for a in alerts),
            acknowledged_at=now if by is not None else None,
        )
        Alert.objects.filter(pk__in=[a.pk for a in alerts]).update(incident=incident)
        AlertLog.objects.bulk_create(
            AlertLog(alert=a, at=now, kind=AlertLog.Kind.INCIDENT, actor=who, text=incident.title)
            for a in alerts
        )
        summaries = "\n".join(f"- #{a.pk} {a.summary}" for a in alerts)
        IncidentNote.objects.create(
            incident=incident,
            author=by,
            text=_("Opened from %(n)s alert(s):") % {"n": len(alerts)} + "\n" + summaries,
        )
    return incident


def add_note(incident: Incident, *, by, text: str = "", status: str | None = None) -> IncidentNote:
    """A note, and a status change recorded in the same note."""
    lines = []
    with transaction.atomic():
        if status and status != incident.status:
            old = incident.get_status_display()
            incident.status = status
            incident.save(update_fields=["status"])
            lines.append(
                _("Status: %(old)s → %(new)s") % {"old": old, "new": incident.get_status_display()}
            )
        if text.strip():
            lines.append(text.strip())
        return IncidentNote.objects.create(incident=incident, author=by, text="\n".join(lines))


def display_name(user) -> str:
    """How a signed-in user is named in timelines: their name as a person of a unit, else
    their account's name, else their login."""
    if user is None:
        return "citysoc"
    from citysoc.core.models import Person

    person = Person.objects.filter(user=user, is_active=True).values_list("full_name", flat=True)
    full = person.first() or f"{user.last_name} {user.first_name}".strip()
    return (full or user.get_username())[:150]
