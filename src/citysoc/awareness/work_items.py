"""Awareness on the work page: courses the unit's people still have to complete.

One line per (unit, course, programme), not per person: "12 people still to complete
the course", due on the earliest of their due dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _

from citysoc.awareness.models import Enrolment
from citysoc.core.work import WorkItem


def items_for(units, today: dt.date) -> Iterator[WorkItem]:
    rows = (
        Enrolment.objects.filter(unit__in=units, status=Enrolment.Status.ASSIGNED)
        .order_by()
        .values("unit_id", "unit__name", "course_id", "course__title", "programme_id")
        .annotate(n=Count("pk"), due=Min("due_on"))
    )
    for r in rows:
        if r["programme_id"]:
            url = reverse("awareness:programme-detail", args=[r["programme_id"]])
        else:
            url = reverse("awareness:course-detail", args=[r["course_id"]])
        yield WorkItem(
            unit_id=r["unit_id"],
            unit_name=r["unit__name"],
            area="awareness",
            kind="training",
            title=_("%(n)d people still to complete the course %(course)s")
            % {"n": r["n"], "course": r["course__title"]},
            due=r["due"],
            url=url,
            action=_("Follow up"),
        )
