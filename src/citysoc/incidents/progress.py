"""The incidents area's figures for a directive's unit report (registered with
`directives.area_progress`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.alerts.models import Incident
from citysoc.core.models import Unit
from citysoc.incidents import deadlines


def unit_progress(unit: Unit, *, label: str):
    from citysoc.directives.area_figures import AreaProgress

    cases = Incident.objects.filter(unit__path__startswith=unit.path, merged_into=None)
    open_cases = list(cases.filter(closed_at=None).prefetch_related("systems", "reports"))
    now = timezone.now()
    cache: dict = {}
    late = sum(1 for c in open_cases if deadlines.is_overdue(c, now, cache))
    closed = cases.exclude(closed_at=None).count()
    summary = _(
        "%(open)d open incidents (%(late)d with a late national report), %(closed)d closed"
    ) % {
        "open": len(open_cases),
        "late": late,
        "closed": closed,
    }
    return AreaProgress(
        label=label, summary=summary, url=f"{reverse('incidents:home')}?unit={unit.code}"
    )


def area_progress(unit: Unit):
    """The directive's incidents item (registered with `directives.area_progress`)."""
    from citysoc.directives.models import ActionItem

    return unit_progress(unit, label=str(ActionItem.Area.INCIDENTS.label))
