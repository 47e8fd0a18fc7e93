"""Nightly reminder: systems whose security level is not yet approved.

Each unit's admins get one message a day, through the outbox, listing their unit's
systems without an approved level (the directive's first task is to review every system
against its level, which needs the level first).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core.models import Person, Unit
from citysoc.inventory.models import InformationSystem
from citysoc.notify import reach

logger = logging.getLogger(__name__)
TOPIC = "inventory.levels"  # also the key in citysoc.core.delivery_problems


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
    """Tell each unit's admins the list of their unit's systems without an approved level,
    through the outbox, at most once a day."""
    today = timezone.localdate()
    by_unit: dict[Unit, list[InformationSystem]] = {}
    for system in unapproved().select_related("unit").order_by("unit__path", "name"):
        by_unit.setdefault(system.unit, []).append(system)
    told = reach.tell_units(
        by_unit,
        lambda unit, systems: (
            _("[citysoc] %(count)d systems without an approved security level")
            % {"count": len(systems)},
            _reminder_text(systems),
        ),
        topic=TOPIC,
        roles=[Person.Role.UNIT_ADMIN],
        once_on=today,
    )
    total = sum(len(v) for v in by_unit.values())
    logger.info(
        "level reminder: %d systems in %d units, %d told", total, len(by_unit), len(told.told)
    )
    return ReminderResult(units=len(by_unit), systems=total, emails=len(told.told))


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
