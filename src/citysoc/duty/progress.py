"""The duty roster figures beside a unit's answer to a directive item.

Registered with `directives.area_progress` from `DutyConfig.ready()`: directives asks,
it does not import duty.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core.models import Unit
from citysoc.directives.area_figures import AreaProgress
from citysoc.directives.models import ActionItem
from citysoc.duty import oncall
from citysoc.duty.models import Roster


def area_progress(unit: Unit) -> AreaProgress:
    coming = Roster.objects.filter(unit=unit, ends_on__gte=timezone.localdate())
    first = coming.order_by("starts_on", "pk").first()
    url = reverse("duty:home")
    label = str(ActionItem.Area.DUTY.label)
    if first is None:
        return AreaProgress(label, _("No duty roster for a current or coming period"), url)
    summary = _(
        "%(n)d duty rosters current or coming; the first, %(name)s (%(first)s – %(last)s), "
        "has %(gaps)d times with nobody on duty"
    ) % {
        "n": coming.count(),
        "name": first.name,
        "first": f"{first.starts_on:%d/%m/%Y}",
        "last": f"{first.ends_on:%d/%m/%Y}",
        "gaps": len(oncall.gaps(first)),
    }
    return AreaProgress(label, summary, reverse("duty:roster-detail", args=[first.pk]))
