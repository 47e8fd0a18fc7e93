"""Daily reminder: assignments due within a few days, and those overdue, per unit.

Each unit's administrators, operators and ISP liaisons get one e-mail listing what is
still open — so a ward hears about item 2 three days before Tết, and again every day once
it is late. Mail goes straight through Django's e-mail backend: citysoc has no
notification outbox yet, so a message the SMTP server refuses is logged and retried on the
next run, not queued.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from citysoc.core import delivery_problems
from citysoc.core.contacts import unit_emails
from citysoc.core.delivery_problems import Problem
from citysoc.core.models import Person
from citysoc.directives.models import Assignment, Directive

logger = logging.getLogger(__name__)
TOPIC = "directives.reminder"  # for citysoc.core.delivery_problems

DAYS_BEFORE = 3
RECIPIENT_ROLES = (Person.Role.UNIT_ADMIN, Person.Role.OPERATOR, Person.Role.ISP_LIAISON)


@dataclass(frozen=True)
class ReminderResult:
    units: int
    assignments: int
    emails: int
    # Units with open items but nobody to write to, and units whose e-mail failed: both
    # are logged by name so that the operator can fix the people list or the SMTP server.
    unreachable: int = 0
    failed: int = 0


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


def _send(rows: list[Assignment], emails: list[str], today: dt.date) -> None:
    late = sum(a.is_overdue(today) for a in rows)
    subject = _("[citysoc] %(open)d directive items to answer, %(late)d overdue") % {
        "open": len(rows),
        "late": late,
    }
    send_mail(subject, _reminder_text(rows, today), None, emails)


def remind_due_assignments(today: dt.date | None = None) -> ReminderResult:
    """E-mail each unit's people the list of their open assignments due soon or overdue.

    An assignment is in at most one e-mail a day: it is marked as reminded once its
    unit's e-mail was accepted by the mail server.
    """
    today = today or timezone.localdate()
    by_unit: dict[int, list[Assignment]] = {}
    for a in open_and_due(today):
        by_unit.setdefault(a.unit_id, []).append(a)
    addresses = unit_emails(by_unit, RECIPIENT_ROLES)
    sent = failed = 0
    unreachable = [rows[0].unit for unit_id, rows in by_unit.items() if unit_id not in addresses]
    with translation.override(settings.LANGUAGE_CODE):
        for unit_id, emails in addresses.items():
            rows = by_unit[unit_id]
            try:
                _send(rows, emails, today)
            except (smtplib.SMTPException, OSError) as exc:
                failed += 1
                logger.error(
                    "directive reminder to %s (%s) failed: %s; it is tried again on the next "
                    "run — check EMAIL_HOST and EMAIL_PORT",
                    rows[0].unit.name,
                    ", ".join(emails),
                    exc,
                )
                delivery_problems.record(unit_id, TOPIC, Problem.SEND_FAILED, str(exc))
                continue
            Assignment.objects.filter(pk__in=[a.pk for a in rows]).update(last_reminded_on=today)
            delivery_problems.clear([unit_id], TOPIC)
            sent += 1
    for unit in unreachable:
        delivery_problems.record(unit, TOPIC, Problem.NO_RECIPIENT)
        logger.warning(
            "directive reminder: %s has open items but no active administrator, operator or "
            "ISP liaison with an e-mail address; add one on the unit's people page",
            unit.name,
        )
    total = sum(len(v) for v in by_unit.values())
    logger.info(
        "directive reminder: %d assignments, %d units, %d e-mails, %d failed, %d unreachable",
        total,
        len(by_unit),
        sent,
        failed,
        len(unreachable),
    )
    return ReminderResult(len(by_unit), total, sent, len(unreachable), failed)


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
