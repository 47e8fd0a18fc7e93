"""Duty's part of the work page: coming roster gaps and handovers not acknowledged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core.work import WorkItem
from citysoc.duty.models import GapNotice, Handover


def items_for(units, today: dt.date) -> Iterator[WorkItem]:
    yield from _gaps(units)
    yield from _handovers(units)


def _gaps(units) -> Iterator[WorkItem]:
    rows = GapNotice.objects.filter(
        roster__unit__in=units, ends_at__gt=timezone.now()
    ).select_related("roster__unit")
    for gap in rows:
        start = timezone.localtime(gap.starts_at)
        end = timezone.localtime(gap.ends_at)
        yield WorkItem(
            unit_id=gap.roster.unit_id,
            unit_name=gap.roster.unit.name,
            area="duty",
            kind="gap",
            title=_("Nobody on duty in %(roster)s from %(start)s to %(end)s")
            % {
                "roster": gap.roster.name,
                "start": f"{start:%d/%m %H:%M}",
                "end": f"{end:%d/%m %H:%M}",
            },
            due=gap.starts_at,
            url=reverse("duty:roster-detail", args=[gap.roster_id]),
            action=_("Fill the gap"),
            severity="high",
        )


def _handovers(units) -> Iterator[WorkItem]:
    rows = Handover.objects.filter(unit__in=units, acknowledged_at__isnull=True).select_related(
        "unit", "from_person"
    )
    for h in rows:
        yield WorkItem(
            unit_id=h.unit_id,
            unit_name=h.unit.name,
            area="duty",
            kind="handover",
            title=_("Acknowledge the handover from %(person)s") % {"person": h.from_person},
            due=h.at,
            url=reverse("duty:handover-detail", args=[h.pk]),
            action=_("Acknowledge"),
        )
