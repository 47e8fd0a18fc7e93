"""Nightly reminder: systems whose security level is not yet approved.

Each unit admin gets one e-mail listing their unit's systems without an approved level
(the directive's first task is to review every system against its level, which needs
the level first). The city admins get the city-wide count.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from citysoc.core import delivery_problems
from citysoc.core.delivery_problems import Problem
from citysoc.core.models import Person
from citysoc.inventory.models import InformationSystem

logger = logging.getLogger(__name__)
TOPIC = "inventory.levels"  # for citysoc.core.delivery_problems


@dataclass(frozen=True)
class ReminderResult:
    units: int
    systems: int
    emails: int


def unapproved(queryset=None):
    qs = queryset if queryset is not None else InformationSystem.objects.all()
    return qs.filter(
        Q(security_level__isnull=True) | ~Q(dossier_status=InformationSystem.Dossier.APPROVED)
    )


def remind_unapproved_levels() -> ReminderResult:
    """Send each unit admin the list of their unit's systems without an approved level."""
    by_unit: dict[int, list[InformationSystem]] = {}
    for system in unapproved().select_related("unit").order_by("unit__path", "name"):
        by_unit.setdefault(system.unit_id, []).append(system)
    admins = list(
        Person.objects.filter(
            unit_id__in=by_unit, role=Person.Role.UNIT_ADMIN, is_active=True
        ).exclude(email="")
    )
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for admin in admins:
            systems = by_unit[admin.unit_id]
            send_mail(
                _("[citysoc] %(count)d systems without an approved security level")
                % {"count": len(systems)},
                _reminder_text(systems),
                None,
                [admin.email],
            )
            sent += 1
    reached = {admin.unit_id for admin in admins}
    delivery_problems.clear(reached, TOPIC)
    for unit_id in set(by_unit) - reached:
        delivery_problems.record(unit_id, TOPIC, Problem.NO_RECIPIENT)
    total = sum(len(v) for v in by_unit.values())
    logger.info("level reminder: %d systems in %d units, %d e-mails", total, len(by_unit), sent)
    return ReminderResult(units=len(by_unit), systems=total, emails=sent)


def _reminder_text(systems: list[InformationSystem]) -> str:
    lines = [_("These information systems have no approved security level yet:"), ""]
    for s in systems:
        level = s.security_level or "?"
        item = _("%(name)s (level %(level)s, %(dossier)s)") % {
            "name": s.name,
            "level": level,
            "dossier": s.get_dossier_status_display(),
        }
        lines.append(f"- {item}")
    lines += ["", f"{settings.SITE_URL}/inventory/systems/?approved=no"]
    return "\n".join(lines)
