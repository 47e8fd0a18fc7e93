"""The scheduler's job: report deadlines due within a day or late, and playbook tasks due,
told to each unit once a day through the outbox (`citysoc.notify.reach`)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.alerts.models import Incident
from citysoc.core.models import Person
from citysoc.incidents import deadlines, playbooks
from citysoc.notify import reach

TOPIC = "incidents.deadline"
ROLES = (Person.Role.UNIT_ADMIN, Person.Role.OPERATOR)


def due_soon(now: dt.datetime) -> dict:
    """Unit -> [(incident, deadline)] of unmet deadlines due within 24 h or late."""
    groups: dict = {}
    cache: dict = {}
    rows = Incident.objects.filter(closed_at=None, merged_into=None).select_related("unit")
    for incident in rows.prefetch_related("systems", "reports"):
        for d in deadlines.deadlines_for(incident, cache):
            if d.met_at is None and d.due_at <= now + dt.timedelta(hours=24):
                groups.setdefault(incident.unit, []).append((incident, d))
    return groups


def _compose(unit, rows) -> tuple[str, str]:
    now = timezone.now()
    subject = _("[citysoc] %(n)s incident report(s) due or late") % {"n": len(rows)}
    lines = []
    for incident, d in rows:
        state = _("LATE") if d.overdue(now) else _("due")
        due = timezone.localtime(d.due_at)
        lines.append(f"- #{incident.pk} {incident.title}: {d.label} {d.form} → {d.to} "
                     f"({state} {due:%d/%m/%Y %H:%M}; {d.source})")  # fmt: skip
    return subject, "\n".join(lines)


def remind(now: dt.datetime | None = None) -> int:
    """Queue today's reminders; returns how many deadlines and tasks were reminded."""
    now = now or timezone.now()
    groups = due_soon(now)
    if groups:
        reach.tell_units(
            groups, _compose, topic=TOPIC, roles=ROLES, once_on=timezone.localdate(now)
        )
    return sum(len(rows) for rows in groups.values()) + playbooks.remind_tasks(now)
