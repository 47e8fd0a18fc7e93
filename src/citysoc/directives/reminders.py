"""Daily reminder: assignments due within a few days, and those overdue, per unit.

Each unit's administrators and operators get one e-mail listing what is still open —
so a ward hears about item 2 three days before Tết, and again every day once it is late.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from citysoc.core.models import Person
from citysoc.directives.models import Assignment, Directive

logger = logging.getLogger(__name__)

DAYS_BEFORE = 3
RECIPIENT_ROLES = (Person.Role.UNIT_ADMIN, Person.Role.OPERATOR, Person.Role.ISP_LIAISON)


@dataclass(frozen=True)
class ReminderResult:
    units: int
    assignments: int
    emails: int


def open_and_due(today: dt.date, days_before: int = DAYS_BEFORE):
    """Open assignments of issued directives whose due date is at most `days_before` away."""
    return (
        Assignment.objects.filter(
            directive__status=Directive.Status.ISSUED,
            item__due_date__lte=today + dt.timedelta(days=days_before),
        )
        .exclude(status__in=Assignment.CLOSED)
        .select_related("item", "directive", "unit")
        .order_by("unit__path", "item__due_date", "item__order")
    )


def remind_due_assignments(today: dt.date | None = None) -> ReminderResult:
    """E-mail each unit's people the list of their open assignments due soon or overdue."""
    today = today or timezone.localdate()
    by_unit: dict[int, list[Assignment]] = {}
    for a in open_and_due(today):
        by_unit.setdefault(a.unit_id, []).append(a)
    people = Person.objects.filter(
        unit_id__in=by_unit, role__in=RECIPIENT_ROLES, is_active=True
    ).exclude(email="")
    recipients: dict[int, list[str]] = {}
    for person in people:
        recipients.setdefault(person.unit_id, []).append(person.email)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for unit_id, emails in recipients.items():
            rows = by_unit[unit_id]
            late = sum(a.is_overdue(today) for a in rows)
            subject = _("[citysoc] %(open)d directive items to answer, %(late)d overdue") % {
                "open": len(rows),
                "late": late,
            }
            send_mail(subject, _reminder_text(rows, today), None, sorted(set(emails)))
            sent += 1
    total = sum(len(v) for v in by_unit.values())
    logger.info(
        "directive reminder: %d assignments, %d units, %d e-mails", total, len(by_unit), sent
    )
    return ReminderResult(units=len(by_unit), assignments=total, emails=sent)


def _reminder_text(rows: list[Assignment], today: dt.date) -> str:
    lines = [_("These directive items are still open for your unit:"), ""]
    for a in rows:
        state = _("OVERDUE") if a.is_overdue(today) else _("due")
        lines.append(
            f"- [{state} {a.item.due_date:%d/%m/%Y}] {a.directive.reference} "
            f"{a.item.order}. {a.item.text[:120]}"
        )
        lines.append(f"  {settings.SITE_URL}/directives/assignments/{a.pk}/")
    return "\n".join(lines)
