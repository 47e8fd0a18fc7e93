"""Programmes: who must take which course by when, each round; completion; reminders.

As Eramba does it: a daily job works out the audience (people join and leave units),
assigns the current round's courses to whoever lacks them, and reminds each unit's
administrators of the people whose courses are due soon or overdue.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.awareness.models import Enrolment, Programme
from citysoc.core.models import Person, Unit
from citysoc.notify import reach

logger = logging.getLogger(__name__)
TOPIC = "awareness.reminder"


def audience(programme: Programme) -> QuerySet[Person]:
    """Active people the programme covers, only ever inside the programme's own unit tree."""
    by_unit = Q(pk__in=[])
    for unit in programme.audience_units.all():
        by_unit |= Q(unit__path__startswith=unit.path)
    if programme.audience_roles:
        by_unit &= Q(role__in=programme.audience_roles)
    chosen = Q(pk__in=programme.audience_people.values("pk"))
    return Person.objects.filter(
        by_unit | chosen, is_active=True, unit__path__startswith=programme.unit.path
    ).select_related("unit")


def readable_by(user) -> QuerySet[Programme]:
    """The programmes a user may open: its units' own, and those that enrol people of its
    units (a ward follows up the city's programme; the page shows only its own people)."""
    units = Unit.objects.visible_to(user)
    enrolling = Enrolment.objects.filter(unit__in=units).values("programme_id")
    return Programme.objects.filter(
        Q(pk__in=Programme.objects.visible_to(user).values("pk")) | Q(pk__in=enrolling)
    )


def current_round(programme: Programme, today: dt.date) -> int | None:
    """Round 1 from the start date, one more every `recurrence_days`; None before the start."""
    if today < programme.starts_on:
        return None
    if not programme.recurrence_days:
        return 1
    return 1 + (today - programme.starts_on).days // programme.recurrence_days


def round_start(programme: Programme, number: int) -> dt.date:
    return programme.starts_on + dt.timedelta(days=(number - 1) * programme.recurrence_days)


def assign(programme: Programme, *, today: dt.date | None = None) -> int:
    """Enrol everyone in the audience who lacks this round's courses; returns how many rows."""
    today = today or timezone.localdate()
    number = current_round(programme, today)
    if number is None or not programme.is_active:
        return 0
    due = round_start(programme, number) + dt.timedelta(days=programme.due_days)
    have = set(programme.enrolments.filter(round=number).values_list("person_id", "course_id"))
    rows = [
        Enrolment(
            unit=person.unit, person=person, course=course, programme=programme, round=number,
            reason=Enrolment.Reason.PROGRAMME, due_on=due,
        )
        for person in audience(programme)
        for course in programme.courses.all()
        if (person.pk, course.pk) not in have
    ]  # fmt: skip
    try:
        with transaction.atomic():
            Enrolment.objects.bulk_create(rows)
    except IntegrityError:  # another worker assigned the same round first
        return 0
    return len(rows)


@dataclass(frozen=True)
class Completion:
    """Done out of due, for one unit or the whole programme."""

    label: str
    done: int
    total: int
    overdue: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def completion_by_unit(
    enrolments: QuerySet[Enrolment], *, today: dt.date | None = None
) -> list[Completion]:
    """Per unit of the people enrolled: passed / enrolled, and how many are overdue."""
    today = today or timezone.localdate()
    rows = (
        enrolments.values("unit__name", "unit__path")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=Enrolment.Status.PASSED)),
            overdue=Count("pk", filter=Q(status=Enrolment.Status.ASSIGNED, due_on__lt=today)),
        )
        .order_by("unit__path")
    )
    return [Completion(r["unit__name"], r["done"], r["total"], r["overdue"]) for r in rows]


def total(parts: Iterable[Completion], label: str) -> Completion:
    parts = list(parts)
    return Completion(
        label,
        sum(p.done for p in parts),
        sum(p.total for p in parts),
        sum(p.overdue for p in parts),
    )


def current_enrolments(programme: Programme, *, today: dt.date | None = None):
    number = current_round(programme, today or timezone.localdate()) or 1
    return programme.enrolments.filter(round=number)


def run_daily(*, today: dt.date | None = None) -> dict[str, int]:
    """Assign every active programme's current round, then send the day's reminders."""
    today = today or timezone.localdate()
    assigned = sum(assign(p, today=today) for p in Programme.objects.filter(is_active=True))
    told = remind(today=today)
    logger.info("awareness: %d enrolments assigned, %d units reminded", assigned, told)
    return {"assigned": assigned, "units_reminded": told}


def remind(*, today: dt.date | None = None) -> int:
    """Tell each unit's administrators who has a programme course due soon or overdue."""
    today = today or timezone.localdate()
    due = Enrolment.objects.filter(
        status=Enrolment.Status.ASSIGNED, programme__isnull=False, due_on__isnull=False
    ).select_related("unit", "person", "course", "programme")
    by_unit: dict[Unit, list[Enrolment]] = {}
    for e in due.order_by("unit__path", "due_on"):
        if e.due_on is None or e.programme is None:
            continue  # never: the filter above wants both
        if e.due_on - dt.timedelta(days=e.programme.remind_days_before) <= today:
            by_unit.setdefault(e.unit, []).append(e)
    told = reach.tell_units(
        by_unit,
        lambda unit, rows: (
            _("[citysoc] %(count)d awareness courses due or overdue") % {"count": len(rows)},
            _reminder_text(rows, today),
        ),
        topic=TOPIC,
        roles=[Person.Role.UNIT_ADMIN],
        once_on=today,
    )
    Enrolment.objects.filter(pk__in=[e.pk for rows in by_unit.values() for e in rows]).update(
        reminded_on=today
    )
    return len(told.told)


def _reminder_text(rows: list[Enrolment], today: dt.date) -> str:
    lines = [_("These people have an awareness course to complete:"), ""]
    for e in rows:
        state = _("overdue") if e.due_on is not None and e.due_on < today else _("due")
        lines.append(f"- {e.person.full_name}: {e.course.title} ({state} {e.due_on:%d/%m/%Y})")
    lines += ["", f"{settings.SITE_URL}/awareness/"]
    return "\n".join(lines)
