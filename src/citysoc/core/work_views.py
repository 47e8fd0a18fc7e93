""" "Việc cần làm": the work page and the landing box over the work registry (core/work.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from citysoc.core import work
from citysoc.core.models import Unit

BOX_SHOWN = 6


@login_required
def work_page(request):
    today = timezone.localdate()
    unit = request.GET.get("unit", "")
    items = work.items_for(request.user, today, unit_code=unit)
    context = {
        "work": work.grouped(items, today),
        "units": Unit.objects.visible_to(request.user).order_by("path"),
        "unit": unit,
        "areas": {a.key: a.label for a in work.registered()},
    }
    return render(request, "core/work.html", context)


@dataclass
class WorkBox:
    total: int = 0
    overdue: int = 0
    this_week: int = 0
    # (item, overdue) pairs, overdue first.
    first: list[tuple[work.WorkItem, bool]] = field(default_factory=list)


def box_for(user) -> WorkBox:
    """The landing page's box: the counts and the first few items, overdue first."""
    today = timezone.localdate()
    listed = work.grouped(work.items_for(user, today), today)
    return WorkBox(
        total=listed.total,
        overdue=len(listed.overdue),
        this_week=len(listed.this_week),
        first=[(i, True) for i in listed.overdue][:BOX_SHOWN]
        + [(i, False) for i in listed.this_week][: max(0, BOX_SHOWN - len(listed.overdue))],
    )
