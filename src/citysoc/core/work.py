""" "Việc cần làm": everything a unit owes, from every area, in one list by due date.

Each area adds its open items from its own module, registered in its `AppConfig.ready()`:

    from citysoc.core import work
    work.register("directives", items_for, label=_("Directives"))

`items_for(units, today)` takes a queryset of units and returns `WorkItem`s of those units
only (a convention test holds it), in one or a few queries whatever the number of rows.
The page, the landing box and `GET /api/my-work/` read the registry; core imports no area.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

logger = logging.getLogger(__name__)

THIS_WEEK_DAYS = 7


@dataclass(frozen=True)
class WorkItem:
    """One thing a unit has to do, with the link that does it."""

    unit_id: int
    unit_name: str
    area: str  # the registry key of the area that owns it
    kind: str  # what it is inside the area ("assignment", "gap", "handover"…)
    title: str
    due: dt.date | dt.datetime | None
    url: str
    action: str  # the label of the one-click action ("Answer", "Acknowledge"…)
    severity: str = ""  # "critical", "high", "medium", "low" or "" when not graded

    @property
    def due_date(self) -> dt.date | None:
        if isinstance(self.due, dt.datetime):
            due = timezone.localtime(self.due) if timezone.is_aware(self.due) else self.due
            return due.date()
        return self.due

    def is_overdue(self, today: dt.date) -> bool:
        due = self.due_date
        return due is not None and due < today

    def group(self, today: dt.date) -> str:
        """ "overdue", "this_week" (due within 7 days), "later" or "undated"."""
        due = self.due_date
        if due is None:
            return "undated"
        if due < today:
            return "overdue"
        if due < today + dt.timedelta(days=THIS_WEEK_DAYS):
            return "this_week"
        return "later"


Provider = Callable[[Any, dt.date], Iterable[WorkItem]]


@dataclass(frozen=True)
class Area:
    key: str
    label: Any
    provider: Provider


_AREAS: dict[str, Area] = {}


def register(key: str, provider: Provider, *, label: Any = "") -> None:
    """Add (or replace, on a reloaded app) the area `key`'s provider of work items."""
    _AREAS[key] = Area(key, label or key, provider)


def registered() -> list[Area]:
    return sorted(_AREAS.values(), key=lambda area: area.key)


def _sort_key(item: WorkItem) -> tuple:
    due = item.due_date
    # Undated items last; among one day, the most severe first.
    rank = {"critical": 0, "high": 1, "medium": 2, "low": 3}.get(item.severity, 4)
    return (due is None, due or dt.date.max, rank, item.unit_name, item.title)


def items_for_units(units, today: dt.date | None = None) -> list[WorkItem]:
    """Every registered area's open items of `units` (a Unit queryset), by due date."""
    today = today or timezone.localdate()
    items: list[WorkItem] = []
    for area in registered():
        items.extend(area.provider(units, today))
    return sorted(items, key=_sort_key)


def items_for(user, today: dt.date | None = None, *, unit_code: str = "") -> list[WorkItem]:
    """The open items of the units `user` may see (one of them with `unit_code`)."""
    from citysoc.core.models import Unit

    units = Unit.objects.visible_to(user)
    if unit_code:
        units = units.filter(code=unit_code)
    return items_for_units(units, today)


@dataclass
class WorkList:
    """The items split into the page's groups, in order."""

    today: dt.date
    overdue: list[WorkItem] = field(default_factory=list)
    this_week: list[WorkItem] = field(default_factory=list)
    later: list[WorkItem] = field(default_factory=list)
    undated: list[WorkItem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.this_week) + len(self.later) + len(self.undated)

    @property
    def groups(self) -> list[tuple[str, list[WorkItem]]]:
        return [
            ("overdue", self.overdue),
            ("this_week", self.this_week),
            ("later", self.later),
            ("undated", self.undated),
        ]


def grouped(items: list[WorkItem], today: dt.date) -> WorkList:
    result = WorkList(today=today)
    for item in items:
        getattr(result, item.group(today)).append(item)
    return result
