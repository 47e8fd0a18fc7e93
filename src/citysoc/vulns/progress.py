"""The vulnerability figures beside a unit's answer to a directive item.

Registered with `directives.area_progress` from `VulnsConfig.ready()`: directives asks,
it does not import vulns.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core.models import Unit
from citysoc.directives.area_figures import AreaProgress
from citysoc.directives.models import ActionItem
from citysoc.vulns import figures
from citysoc.vulns.models import Finding


def area_progress(unit: Unit) -> AreaProgress:
    findings = Finding.objects.filter(unit__path__startswith=unit.path)
    s = figures.summary(findings, timezone.localdate())
    summary = _(
        "%(active)d open vulnerability findings (%(critical)d critical), %(kev)d known "
        "exploited, %(overdue)d overdue (%(overdue_kev)d known exploited); %(fixed)d fixed "
        "awaiting verification, %(mitigated)d verified fixed by a later scan"
    ) % {
        "active": s.active,
        "critical": s.critical,
        "kev": s.kev,
        "overdue": s.overdue,
        "overdue_kev": s.overdue_kev,
        "fixed": s.fixed_waiting,
        "mitigated": s.mitigated,
    }
    url = reverse("vulns:unit-detail", args=[unit.pk])
    return AreaProgress(label=str(ActionItem.Area.VULNS.label), summary=summary, url=url)
