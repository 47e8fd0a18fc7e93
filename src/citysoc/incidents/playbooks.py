"""Playbooks as data: one YAML file per incident type in `incidents/playbooks/`, editable on a
page (the edited text is kept in the `Playbook` table and wins over the shipped file), turned
into tasks with owners and due times, reminded through the outbox.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.alerts.incidents import add_note
from citysoc.alerts.models import Incident
from citysoc.core.models import Person
from citysoc.incidents.models import Playbook, Task
from citysoc.lib import yamldata
from citysoc.notify import reach

logger = logging.getLogger(__name__)
FOLDER = Path(__file__).parent / "playbooks"
OWNER_ROLES = {"operator": Person.Role.OPERATOR, "unit_admin": Person.Role.UNIT_ADMIN}
TOPIC = "incidents.task"


class PlaybookError(ValueError):
    """A playbook text that cannot be used; the message names the step and field."""


@dataclass(frozen=True)
class Step:
    phase: str
    title: str
    title_en: str
    owner: str
    due_hours: float


def shipped_text(kind: str) -> str:
    path = FOLDER / f"{kind}.yaml"
    return (path if path.exists() else FOLDER / "default.yaml").read_text(encoding="utf-8")


def text_for(kind: str) -> str:
    edited = Playbook.objects.filter(kind=kind).values_list("text", flat=True).first()
    return edited or shipped_text(kind)


def parse(text: str) -> list[Step]:
    """The steps of a playbook text; PlaybookError names what is wrong and where."""
    try:
        data = yamldata.load(text)
    except yaml.YAMLError as exc:
        raise PlaybookError(_("Not valid YAML: %(e)s") % {"e": exc}) from None
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list) or not data["steps"]:
        raise PlaybookError(_("The playbook needs a list of steps under 'steps:'."))
    return [_step(i, raw) for i, raw in enumerate(data["steps"], 1)]


def _step(i: int, raw) -> Step:
    if not isinstance(raw, dict):
        raise PlaybookError(_("Step %(i)s: give phase, title, owner and due_hours.") % {"i": i})
    phase = raw.get("phase", "")
    if phase not in Task.Phase.values:
        raise PlaybookError(
            _("Step %(i)s: phase must be one of %(p)s.")
            % {"i": i, "p": ", ".join(Task.Phase.values)}
        )
    if not str(raw.get("title", "")).strip():
        raise PlaybookError(_("Step %(i)s: the title is empty.") % {"i": i})
    owner = raw.get("owner", "operator")
    if owner not in (*OWNER_ROLES, "security_lead"):
        raise PlaybookError(
            _("Step %(i)s: owner must be operator, unit_admin or security_lead.") % {"i": i}
        )
    try:
        hours = float(raw.get("due_hours", 24))
    except (TypeError, ValueError):
        raise PlaybookError(_("Step %(i)s: due_hours must be a number.") % {"i": i}) from None
    return Step(phase, str(raw["title"]).strip(), str(raw.get("title_en", "")), owner, hours)


def save(kind: str, text: str, *, by: str) -> Playbook:
    parse(text)  # refuse a broken text before it replaces a working one
    playbook, _created = Playbook.objects.update_or_create(
        kind=kind, defaults={"text": text, "updated_by": by}
    )
    return playbook


def _owner_for(unit, role: str):
    role = OWNER_ROLES.get(role, Person.Role.UNIT_ADMIN)
    person = (
        Person.objects.filter(unit=unit, role=role, is_active=True, user__isnull=False)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return person.user if person else None


def apply(incident: Incident, *, by, now: dt.datetime | None = None) -> list[Task]:
    """The playbook of the incident's type as tasks, with owners and due times."""
    now = now or timezone.now()
    steps = parse(text_for(incident.kind))
    start = incident.tasks.count()
    with transaction.atomic():
        tasks = [
            Task.objects.create(
                incident=incident,
                phase=step.phase,
                position=start + n,
                title=step.title[:300],
                owner=_owner_for(incident.unit, step.owner),
                owner_role=step.owner,
                due_at=now + dt.timedelta(hours=step.due_hours),
            )
            for n, step in enumerate(steps, 1)
        ]
        add_note(incident, by=by, text=_("Playbook applied: %(n)s tasks.") % {"n": len(tasks)})
    return tasks


def remind_tasks(now: dt.datetime | None = None) -> int:
    """Tell each unit once a day about its incident tasks due within 2 hours or late."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = (
        Task.objects.filter(done_at=None, due_at__lte=now + dt.timedelta(hours=2))
        .filter(incident__closed_at=None)
        .exclude(reminded_on=today)
        .select_related("incident", "incident__unit", "owner")
        .order_by("due_at")
    )
    groups: dict = {}
    for task in due:
        groups.setdefault(task.incident.unit, []).append(task)
    if not groups:
        return 0
    reach.tell_units(groups, _compose, topic=TOPIC, roles=OWNER_ROLES.values(), once_on=today)
    Task.objects.filter(pk__in=[t.pk for tasks in groups.values() for t in tasks]).update(
        reminded_on=today
    )
    return sum(len(t) for t in groups.values())


def _compose(unit, tasks: list[Task]) -> tuple[str, str]:
    subject = _("[citysoc] %(n)s incident task(s) due or late") % {"n": len(tasks)}
    lines = [
        f"- #{t.incident_id} {t.incident.title}: {t.title} "
        f"({timezone.localtime(t.due_at):%d/%m/%Y %H:%M})"
        for t in tasks
    ]
    return subject, "\n".join(lines)
