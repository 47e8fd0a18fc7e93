"""Work on an open case: status, end of response, close with lessons, merge, tasks.

Every change is written as a note too (alerts/incidents.py `add_note`), so the notes with
the linked alerts' logs are the case's timeline (`timeline`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.alerts.incidents import add_note, display_name
from citysoc.alerts.models import Alert, AlertLog, Incident, IncidentNote
from citysoc.incidents.models import Observable, Report, Task


class CaseError(ValueError):
    """A change the case cannot take; the message says why."""


def acknowledge(incident: Incident, *, by) -> None:
    if incident.acknowledged_at is None:
        incident.acknowledged_at = timezone.now()
        incident.save(update_fields=["acknowledged_at"])
        add_note(incident, by=by, text=_("Acknowledged."))


def end_response(incident: Incident, *, by, at: dt.datetime | None = None) -> None:
    """The response is over: the closing report (Mẫu 04) clock starts."""
    incident.response_ended_at = at or timezone.now()
    incident.save(update_fields=["response_ended_at"])
    add_note(incident, by=by, text=_("Response ended."), status=Incident.Status.CONTAINED)


def close(incident: Incident, *, by, lessons: str) -> None:
    """Close with the lessons learned (TT 20 Phụ lục II, step 4)."""
    if not lessons.strip():
        raise CaseError(_("Write the lessons learned before closing the incident."))
    now = timezone.now()
    with transaction.atomic():
        incident.lessons = lessons.strip()
        incident.closed_at = now
        incident.response_ended_at = incident.response_ended_at or now
        incident.save(update_fields=["lessons", "closed_at", "response_ended_at"])
        add_note(
            incident,
            by=by,
            text=_("Closed. Lessons learned:") + "\n" + incident.lessons,
            status=Incident.Status.CLOSED,
        )


def merge(duplicate: Incident, into: Incident, *, by) -> None:
    """Move the duplicate's alerts, observables, tasks, evidence and reports to `into`, and
    close it as merged."""
    if duplicate.pk == into.pk or duplicate.unit_id != into.unit_id:
        raise CaseError(_("Only two different incidents of the same unit can be merged."))
    with transaction.atomic():
        Alert.objects.filter(incident=duplicate).update(incident=into)
        known = set(into.observables.values_list("kind", "value"))
        for obs in duplicate.observables.all():
            if (obs.kind, obs.value) in known:
                obs.delete()
            else:
                Observable.objects.filter(pk=obs.pk).update(incident=into)
        for related in (duplicate.tasks, duplicate.evidence, duplicate.systems, duplicate.people):
            related.update(incident=into)
        Report.objects.filter(incident=duplicate).update(incident=into)
        duplicate.merged_into = into
        duplicate.closed_at = timezone.now()
        duplicate.save(update_fields=["merged_into", "closed_at"])
        add_note(
            duplicate,
            by=by,
            text=_("Merged into #%(pk)s %(t)s") % {"pk": into.pk, "t": into.title},
            status=Incident.Status.CLOSED,
        )
        add_note(
            into,
            by=by,
            text=_("#%(pk)s %(t)s merged into this incident.")
            % {"pk": duplicate.pk, "t": duplicate.title},
        )


def complete_task(task: Task, *, by) -> None:
    if task.done_at is None:
        task.done_at = timezone.now()
        task.done_by = display_name(by)
        task.save(update_fields=["done_at", "done_by"])
        add_note(task.incident, by=by, text=_("Task done: %(t)s") % {"t": task.title})


@dataclass(frozen=True)
class Entry:
    """One line of the timeline."""

    at: dt.datetime
    who: str
    text: str
    kind: str  # "note", "alert", "report"


def timeline(incident: Incident) -> list[Entry]:
    """The case's notes, the linked alerts' first sighting and log, and the reports sent,
    oldest first: an incident opened from an alert keeps what happened before it."""
    entries = [
        Entry(n.at, display_name(n.author) if n.author else "citysoc", n.text, "note")
        for n in IncidentNote.objects.filter(incident=incident).select_related("author")
    ]
    for alert in incident.alerts.all():
        entries.append(
            Entry(
                alert.first_seen,
                alert.source.name if alert.source_id else "",
                _("Alert #%(pk)s first seen: %(s)s") % {"pk": alert.pk, "s": alert.summary},
                "alert",
            )
        )
    for log in AlertLog.objects.filter(alert__incident=incident).exclude(kind="incident"):
        entries.append(Entry(log.at, log.actor, f"#{log.alert_id} {log.text}", "alert"))
    for report in incident.reports.exclude(sent_at=None):
        if report.sent_at is None:
            continue  # never: excluded above
        entries.append(
            Entry(
                report.sent_at,
                report.created_by,
                _("Sent: %(form)s") % {"form": report.get_form_display()},
                "report",
            )
        )
    return sorted(entries, key=lambda e: e.at)
