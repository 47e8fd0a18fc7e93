"""The directives' part of the work page: every open assignment of an issued directive."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from citysoc.core.work import WorkItem
from citysoc.directives.models import Assignment, Directive


def items_for(units, today: dt.date) -> Iterator[WorkItem]:
    rows = (
        Assignment.objects.filter(unit__in=units, directive__status=Directive.Status.ISSUED)
        .exclude(status__in=Assignment.CLOSED)
        .select_related("unit", "item", "directive")
    )
    for a in rows:
        yield WorkItem(
            unit_id=a.unit_id,
            unit_name=a.unit.name,
            area="directives",
            kind="assignment",
            title=f"{a.directive.subject} — {a.item.text}"[:300],
            due=a.item.due_date,
            url=reverse("directives:assignment-detail", args=[a.pk]),
            action=_("Answer"),
        )
