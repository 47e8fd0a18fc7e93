"""The botnet clean-up figures beside a unit's answer to a directive item.

Registered with `directives.area_progress` from `IntelConfig.ready()`: directives asks,
it does not import intel.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core.models import Unit
from citysoc.directives.area_figures import AreaProgress
from citysoc.directives.models import ActionItem
from citysoc.intel.models import CleanupTask


def area_progress(unit: Unit) -> AreaProgress:
    tasks = CleanupTask.objects.filter(unit__path__startswith=unit.path)
    is_open = Q(status__in=CleanupTask.OPEN_STATES)
    counts = tasks.aggregate(
        open=Count("pk", filter=is_open),
        overdue=Count("pk", filter=is_open & Q(due_date__lt=timezone.localdate())),
        cleaned=Count("pk", filter=Q(status=CleanupTask.Status.CLEANED)),
        verified=Count("pk", filter=Q(status=CleanupTask.Status.VERIFIED)),
    )
    summary = (
        _(
            "%(open)d botnet clean-up tasks open (%(overdue)d overdue), %(cleaned)d reported "
            "cleaned and awaiting the next list, %(verified)d verified clean"
        )
        % counts
    )
    url = f"{reverse('intel:task-list')}?unit={unit.pk}"
    return AreaProgress(label=str(ActionItem.Area.BOTNET.label), summary=summary, url=url)
