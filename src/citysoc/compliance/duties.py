"""Recurring duties of the regulation, as due dates per system and unit, and their reminders.

A library in force carries its regime's duties (`Duty` rows). Three kinds of due date:

- a yearly deadline (`deadline` "MM-DD", e.g. the annual report before 30/11) is the
  unit's: it is due on the next such day, for every unit operating a system at one of the
  duty's levels;
- a reassessment (a repeated duty whose code starts with "assess") is met by completing an
  assessment of the system: it is due `every_months` after the last completed assessment,
  and now when the system was never assessed. A system owes only the shortest of these
  intervals at its level: the yearly assessment of a level-3 system also fulfils the
  two-yearly assessment of all systems;
- any other repeated duty (a vulnerability scan, a drill) is not recorded anywhere yet, so
  it recurs every `every_months` from the due date last reminded (now, the first time).

A duty is reminded within its `remind_days_before`, or once late, by one e-mail per unit
to its administrators and operators. A `DutyReminder` row per (duty, unit, system, due
date) makes that once: a date that does not move is reminded once, and a system never
assessed is "due now", so its unit hears about it each day until it is assessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from citysoc.compliance.models import Assessment, Duty, DutyReminder
from citysoc.core.models import Person, Unit
from citysoc.inventory.models import InformationSystem
from citysoc.notify import reach

logger = logging.getLogger(__name__)

ASSESSMENT_PREFIX = "assess"
RECIPIENT_ROLES = (Person.Role.UNIT_ADMIN, Person.Role.OPERATOR)
TOPIC = "compliance.duty"  # also the key in citysoc.core.delivery_problems


@dataclass(frozen=True)
class DueDuty:
    """One duty due for one unit (and one system, unless it is the unit's yearly deadline)."""

    duty: Duty
    unit: Unit
    system: InformationSystem | None
    due_on: dt.date
    last_done: dt.date | None = None  # the last completed assessment, for reassessments

    def is_overdue(self, today: dt.date) -> bool:
        return self.due_on < today

    @property
    def title(self) -> str:
        duty = self.duty
        return duty.title_en if get_language() == "en" and duty.title_en else duty.title


# --- dates ----------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months, clamped to the month's end (31/01 + 1 month = 28 or 29/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_deadline(mmdd: str, today: dt.date) -> dt.date:
    """The next "MM-DD" on or after `today` (29/02 falls on 28/02 in other years)."""
    month, day = (int(part) for part in mmdd.split("-"))
    for year in (today.year, today.year + 1):
        candidate = dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable: next year's date is always after today")


def is_reassessment(duty: Duty) -> bool:
    return not duty.deadline and bool(duty.every_months) and duty.code.startswith(ASSESSMENT_PREFIX)


# --- which duties, for whom -----------------------------------------------------------------


def duties_in_force(today: dt.date) -> list[Duty]:
    """Duties valid on `today` (their own dates and their library's), with a deadline or an
    interval. A duty's own dates matter when its article is repealed or comes into force
    inside the library's validity."""
    return list(
        Duty.objects.filter(library__valid_from__lte=today)
        .filter(Q(library__valid_to__isnull=True) | Q(library__valid_to__gte=today))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .filter(Q(every_months__isnull=False) | ~Q(deadline=""))
        .select_related("library")
        .order_by("library__valid_from", "code")
    )


def reassessment_months(level: int | None, duties: Iterable[Duty]) -> int | None:
    """The strictest reassessment interval at `level` (months), or None if none applies."""
    months = [
        d.every_months
        for d in duties
        if is_reassessment(d) and d.every_months is not None and level in (d.levels or [])
    ]
    return min(months) if months else None


def last_completed(systems: Iterable[InformationSystem]) -> dict[int, dt.date]:
    """System id -> the day its last assessment was completed (one query)."""
    rows = (
        Assessment.objects.filter(system__in=list(systems), status=Assessment.Status.COMPLETED)
        .values("system_id")
        .annotate(last=Max("completed_on"))
        .order_by()
    )
    return {row["system_id"]: row["last"] for row in rows}


def _last_reminded(duties: list[Duty]) -> dict[tuple[int, int, int | None], dt.date]:
    rows = (
        DutyReminder.objects.filter(duty__in=duties)
        .values("duty_id", "unit_id", "system_id")
        .annotate(last=Max("due_on"))
        .order_by()
    )
    return {(r["duty_id"], r["unit_id"], r["system_id"]): r["last"] for r in rows}


def all_due(
    systems: QuerySet[InformationSystem], today: dt.date, duties: list[Duty] | None = None
) -> list[DueDuty]:
    """Every duty of `systems` (those with a level) with its next due date, soonest first."""
    duties = duties_in_force(today) if duties is None else duties
    if not duties:
        return []
    levelled = list(systems.filter(security_level__isnull=False).select_related("unit"))
    done = last_completed(levelled)
    reminded = _last_reminded(duties)
    found: list[DueDuty] = []
    units_with_level: dict[int, tuple[Unit, set[int]]] = {}
    for system in levelled:
        units_with_level.setdefault(system.unit_id, (system.unit, set()))[1].add(
            cast(int, system.security_level)  # filtered to systems with a level above
        )
        found += _system_duties(system, duties, done.get(system.pk), reminded, today)
    for unit, levels in units_with_level.values():
        for duty in duties:
            if duty.deadline and levels & set(duty.levels or []):
                found.append(DueDuty(duty, unit, None, next_deadline(duty.deadline, today)))
    return sorted(found, key=lambda d: (d.due_on, d.unit.path, d.system.name if d.system else ""))


def _system_duties(system, duties, last_done, reminded, today) -> list[DueDuty]:
    level = system.security_level
    applicable = [d for d in duties if not d.deadline and d.every_months and level in d.levels]
    # Only the strictest reassessment counts: completing it fulfils the longer ones too.
    strictest = min(
        (d for d in applicable if is_reassessment(d)),
        key=lambda d: (d.every_months, d.code),
        default=None,
    )
    out = []
    for duty in applicable:
        if is_reassessment(duty):
            if strictest is not None and duty is strictest:
                due = add_months(last_done, duty.every_months) if last_done else today
                out.append(DueDuty(duty, system.unit, system, due, last_done))
        else:
            previous = reminded.get((duty.pk, system.unit_id, system.pk))
            due = add_months(previous, duty.every_months) if previous else today
            out.append(DueDuty(duty, system.unit, system, due))
    return out


def due_duties(units: QuerySet[Unit], today: dt.date | None = None) -> list[DueDuty]:
    """Duties of the systems of `units` that are late or due within their reminder window."""
    today = today or timezone.localdate()
    systems = InformationSystem.objects.filter(unit__in=units)
    return [
        d
        for d in all_due(systems, today)
        if d.due_on <= today + dt.timedelta(days=d.duty.remind_days_before)
    ]


# --- reminders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderResult:
    units: int
    duties: int
    emails: int  # units whose reminder is queued for someone
    unreachable: int = 0  # units with nobody to tell: a failed delivery in the outbox


def _sent_keys(found: list[DueDuty]) -> set[tuple]:
    """(duty, unit, system, due date) of the reminders already sent for `found`, one query."""
    rows = DutyReminder.objects.filter(
        duty__in={d.duty.pk for d in found}, due_on__in={d.due_on for d in found}
    ).values_list("duty_id", "unit_id", "system_id", "due_on")
    return set(rows)


def _key(due: DueDuty) -> tuple:
    return (due.duty.pk, due.unit.pk, due.system.pk if due.system else None, due.due_on)


def send_reminders(today: dt.date | None = None) -> ReminderResult:
    """Tell each unit the duties it has due soon or late and has not heard about yet.

    The reminder rows are written once the unit's message is queued for someone in the
    outbox (which delivers and retries it); a unit with nobody to tell hears again next run.
    """
    today = today or timezone.localdate()
    by_unit: dict[Unit, list[DueDuty]] = {}
    found = due_duties(Unit.objects.all(), today)
    sent_before = _sent_keys(found)
    for due in found:
        if _key(due) not in sent_before:
            by_unit.setdefault(due.unit, []).append(due)
    told = reach.tell_units(
        by_unit,
        lambda unit, rows: _compose(rows, today),
        topic=TOPIC,
        roles=RECIPIENT_ROLES,
        once_on=today,
    )
    for unit in told.told:
        for due in by_unit[unit]:
            DutyReminder.objects.get_or_create(
                duty=due.duty, unit=due.unit, system=due.system, due_on=due.due_on
            )
    total = sum(len(rows) for rows in by_unit.values())
    logger.info(
        "duty reminder: %d duties, %d units, %d told, %d unreachable",
        total, len(by_unit), len(told.told), len(told.unreachable),
    )  # fmt: skip
    return ReminderResult(len(by_unit), total, len(told.told), len(told.unreachable))


def _compose(rows: list[DueDuty], today: dt.date) -> tuple[str, str]:
    late = sum(d.is_overdue(today) for d in rows)
    subject = _("[citysoc] %(n)d security duties due, %(late)d overdue") % {
        "n": len(rows),
        "late": late,
    }
    return subject, _reminder_text(rows, today)


def _reminder_text(rows: list[DueDuty], today: dt.date) -> str:
    lines = [_("These duties of the security regulation are due for your unit:"), ""]
    for due in rows:
        state = _("OVERDUE") if due.is_overdue(today) else _("due")
        what = f"{due.title} — {due.system.name}" if due.system else due.title
        lines.append(f"- [{state} {due.due_on:%d/%m/%Y}] {what}")
        if due.duty.source and due.duty.official:
            lines.append(f"  {due.duty.source}")
        elif due.duty.source:
            # An unofficial source note is for the library's maintainer: link to it instead.
            path = reverse("compliance:library-detail", args=[due.duty.library_id])
            url = f"{settings.SITE_URL}{path}#duty-{due.duty.pk}"
            lines.append(
                "  "
                + _("Source not yet checked against the published text: %(url)s") % {"url": url}
            )
        if due.system and is_reassessment(due.duty):
            if due.last_done:
                done = _("Last assessment completed on %(day)s.") % {
                    "day": due.last_done.strftime("%d/%m/%Y")
                }
                lines.append(f"  {done}")
            else:
                never = _("This system has not been assessed yet.")
                lines.append(f"  {never}")
            path = reverse("compliance:assessment-start", args=[due.system.pk])
            lines.append(f"  {settings.SITE_URL}{path}")
    return "\n".join(lines)
