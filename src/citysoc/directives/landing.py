"""The directives box of the landing dashboard.

A unit user sees the open assignments of their units, soonest due first; a city user sees
how far each recently issued directive has got. Both are read through
`Assignment.objects.visible_to(user)`, so a box never shows another unit's rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils import timezone

from citysoc.core.tenancy import scope_for
from citysoc.directives.models import Assignment, Directive

OPEN_SHOWN = 8
DIRECTIVES_SHOWN = 5


@dataclass(frozen=True)
class DirectiveProgress:
    directive: Directive
    total: int
    closed: int
    overdue: int

    @property
    def percent(self) -> int:
        return round(100 * self.closed / self.total) if self.total else 0


@dataclass
class DirectivesBox:
    is_city: bool
    today: dt.date
    open_count: int = 0
    overdue_count: int = 0
    # (assignment, overdue today) pairs, soonest due first.
    assignments: list[tuple[Assignment, bool]] = field(default_factory=list)
    directives: list[DirectiveProgress] = field(default_factory=list)


def _issued(user):
    return Assignment.objects.visible_to(user).filter(directive__status=Directive.Status.ISSUED)


def _overdue(today: dt.date) -> Q:
    return Q(item__due_date__lt=today) & ~Q(status__in=Assignment.CLOSED)


def _unit_box(box: DirectivesBox, user) -> None:
    mine = _issued(user).exclude(status__in=Assignment.CLOSED)
    counts = mine.aggregate(open=Count("pk"), overdue=Count("pk", filter=_overdue(box.today)))
    box.open_count, box.overdue_count = counts["open"], counts["overdue"]
    order = (F("item__due_date").asc(nulls_last=True), "unit__path", "item__order")
    shown = mine.select_related("unit", "item", "directive").order_by(*order)[:OPEN_SHOWN]
    box.assignments = [(a, a.is_overdue(box.today)) for a in shown]


def _city_box(box: DirectivesBox, user) -> None:
    rows = (
        _issued(user)
        .order_by()
        .values("directive_id")
        .annotate(
            total=Count("pk"),
            closed=Count("pk", filter=Q(status__in=Assignment.CLOSED)),
            overdue=Count("pk", filter=_overdue(box.today)),
        )
    )
    counts = {row.pop("directive_id"): row for row in rows}
    recent = Directive.objects.filter(pk__in=counts).order_by("-issued_at", "-pk")
    box.directives = [DirectiveProgress(d, **counts[d.pk]) for d in recent[:DIRECTIVES_SHOWN]]
    box.overdue_count = sum(row["overdue"] for row in counts.values())


def _sees_the_city(user) -> bool:
    # A city viewer holds no city_admin role but reads every unit: "your assignments"
    # would list the whole city's, so they get the progress view too. A root unit's
    # materialised path is "/<id>/", as in core.tenancy.
    scope = scope_for(user)
    return scope.is_city or any(path.count("/") == 2 for path in scope.view_paths)


def box_for(user, *, today: dt.date | None = None) -> DirectivesBox:
    """What the dashboard shows `user` about directives (three queries at most)."""
    box = DirectivesBox(is_city=_sees_the_city(user), today=today or timezone.localdate())
    if box.is_city:
        _city_box(box, user)
    else:
        _unit_box(box, user)
    return box
