"""What the rest of citysoc knows about a unit's progress on an item's area.

Shown beside the unit's own report, so the city can compare "done" with the data: an
inventory review is hard to call done while half the unit's systems lack an approved
level. Each area registers its reader (`register("botnet", reader)`) from its
`AppConfig.ready()`. An area whose app is not built yet says so plainly, rather than
showing nothing, so nobody takes a missing figure for a zero.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from citysoc.core.models import Unit
from citysoc.directives.area_figures import AreaProgress
from citysoc.directives.models import ActionItem


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
    return AreaProgress(label=str(ActionItem.Area.INVENTORY.label), summary=summary, url=url)


Reader = Callable[[Unit], AreaProgress]

# The area's key (`ActionItem.Area`) → its reader. Inventory sits below directives and is
# read here; every other area registers its own reader from its `AppConfig.ready()`, so
# directives imports none of them.
AREAS: dict[str, Reader] = {ActionItem.Area.INVENTORY: _inventory}


def register(area: str, reader: Reader) -> None:
    """Add (or replace, on a reloaded app) the reader of the area `area`'s figures."""
    AREAS[area] = reader


def progress_for(item: ActionItem, unit: Unit) -> AreaProgress | None:
    """The area's own figures for `unit`; None only when the item names no area."""
    if not item.area:
        return None
    reader = AREAS.get(item.area)
    if reader is not None:
        return reader(unit)
    return AreaProgress(
        label=item.get_area_display(),
        summary=_(
            "This area is not in citysoc yet, so there are no figures to compare: "
            "only the unit's own report counts."
        ),
        tracked=False,
    )
