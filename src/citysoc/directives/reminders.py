"""Daily reminder: assignments due within a few days, and those overdue, per unit.

Each unit's administrators, operators and ISP liaisons get one e-mail listing what is
still open — so a ward hears about item 2 three days before Tết, and again every day once
it is late. The e-mail goes through the notification outbox (notify/reach.py): the
outbox page shows who was told and retries a refused send; a unit with nobody to write to
shows there as a failed delivery.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core.models import Person, Unit
from citysoc.directives.models import Assignment, Directive
from citysoc.notify import reach

logger = logging.getLogger(__name__)

DAYS_BEFORE = 3
RECIPIENT_ROLES = (Person.Role.UNIT_ADMIN, Person.Role.OPERATOR, Person.Role.ISP_LIAISON)
TOPIC = "directives.reminder"


@dataclass(frozen=True)
class ReminderResult:
    units: int
    assignments: int
    emails: int  # units whose reminder is queued for someone
    # Units with open items but nobody to write to: in the outbox as a failed delivery.
    unreachable: int = 0


def open_and_due(today: dt.date, days_before: int = DAYS_BEFORE):
    """Open assignments of issued directives due within `days_before` days or overdue,
    leaving out those already reminded today."""
    return (
        Assignment.objects.filter(
            directive__status=Directive.Status.ISSUED,
            item__due_date__lte=today + dt.timedelta(days=days_before),
        )
        .exclude(status__in=Assignment.CLOSED)
        .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today))
        .select_related("item", "directive", "unit")
        .order_by("unit__path", "item__due_date", "item__order")
    )


def _compose(rows: list[Assignment], today: dt.date) -> tuple[str, str]:
    late = sum(a.is_overdue(today) for a in rows)
    subject = _("[citysoc] %(open)d directive items to answer, %(late)d overdue") % {
        "open": len(rows),
        "late": late,
    }
    return subject, _reminder_text(rows, today)


def remind_due_assignments(today: dt.date | None = None) -> ReminderResult:
    """Tell each unit's people the list of their open assignments due soon or overdue.

    An assignment is in at most one reminder a day: it is marked as reminded once its
    unit's message is queued for someone (the outbox then delivers and retries it).
    """
    today = today or timezone.localdate()
    by_unit: dict[Unit, list[Assignment]] = {}
    for a in open_and_due(today):
        by_unit.setdefault(a.unit, []).append(a)
    told = reach.tell_units(
        by_unit,
        lambda unit, rows: _compose(rows, today),
        topic=TOPIC,
        roles=RECIPIENT_ROLES,
        once_on=today,
    )
    reminded = [a.pk for unit in told.told for a in by_unit[unit]]
    Assignment.objects.filter(pk__in=reminded).update(last_reminded_on=today)
    total = sum(len(v) for v in by_unit.values())
    logger.info(
        "directive reminder: %d assignments, %d units, %d told, %d unreachable",
        total, len(by_unit), len(told.told), len(told.unreachable),
    )  # fmt: skip
    return ReminderResult(len(by_unit), total, len(told.told), len(told.unreachable))


def _reminder_text(rows: list[Assignment], today: dt.date) -> str:
    lines = [_("These directive items are still open for your unit:"), ""]
    for a in rows:
        state = _("OVERDUE") if a.is_overdue(today) else _("due")
        lines.append(
            f"- [{state} {a.item.due_date:%d/%m/%Y}] {a.directive.reference} "
            f"{a.item.order}. {a.item.text[:120]}"
        )
        lines.append(f"  {settings.SITE_URL}{reverse('directives:assignment-detail', args=[a.pk])}")
    return "\n".join(lines)
