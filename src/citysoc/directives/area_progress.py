"""What the rest of citysoc knows about a unit's progress on an item's area.

Shown beside the unit's own report, so the city can compare "done" with the data: an
inventory review is hard to call done while half the unit's systems lack an approved
level. Areas whose app is not built yet return None and the page says nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from citysoc.core.models import Unit
from citysoc.directives.models import ActionItem


@dataclass(frozen=True)
class AreaProgress:
    summary: str
    url: str


def _inventory(unit: Unit) -> AreaProgress:
    from citysoc.inventory.models import InformationSystem

    approved = Q(security_level__isnull=False, dossier_status=InformationSystem.Dossier.APPROVED)
    counts = InformationSystem.objects.filter(unit__path__startswith=unit.path).aggregate(
        total=Count("pk"), approved=Count("pk", filter=approved)
    )
    summary = _(
        "%(total)d information systems registered, %(missing)d without an approved level"
    ) % {
        "total": counts["total"],
        "missing": counts["total"] - counts["approved"],
    }
    url = f"{reverse('inventory:system-list')}?unit={unit.pk}&approved=no"
    return AreaProgress(summary=summary, url=url)


AREAS = {ActionItem.Area.INVENTORY: _inventory}


def progress_for(item: ActionItem, unit: Unit) -> AreaProgress | None:
    """The area's own figures for `unit`, or None when the area is not tracked (yet)."""
    reader = AREAS.get(item.area)
    return reader(unit) if reader else None
