"""Daily warning to a unit's administrators: their roster starting soon has hours with
nobody on duty.

One message per roster with its new gaps, through the outbox; a gap already told (a
`GapNotice` row) is not told again, so the admins hear about a hole once, and again only if
it changes.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from citysoc.core.models import Person
from citysoc.duty import rosters, schedule
from citysoc.duty.models import GapNotice, Roster
from citysoc.notify import reach

logger = logging.getLogger(__name__)

DAYS_AHEAD = 7
RECIPIENT_ROLES = (Person.Role.UNIT_ADMIN,)
TOPIC = "duty.gaps"  # also the key in citysoc.core.delivery_problems


@dataclass(frozen=True)
class GapWarningResult:
    rosters: int
    emails: int
    gaps: int
    unreachable: int = 0


def starting_soon(today: dt.date, days: int = DAYS_AHEAD):
    """Rosters that start from today to `days` days ahead (not those already running)."""
    return Roster.objects.filter(starts_on__gte=today, starts_on__lte=today + dt.timedelta(days))


def _fmt(t: dt.datetime) -> str:
    return timezone.localtime(t).strftime("%H:%M %d/%m/%Y")


def _text(roster: Roster, gaps: list[tuple[dt.datetime, dt.datetime]]) -> str:
    lines = [
        _("The duty roster %(name)s (%(first)s – %(last)s) has times with nobody on duty:")
        % {
            "name": roster.name,
            "first": roster.starts_on.strftime("%d/%m/%Y"),
            "last": roster.ends_on.strftime("%d/%m/%Y"),
        },
        "",
    ]
    lines += [f"  - {_fmt(a)} → {_fmt(b)}" for a, b in gaps]
    url = settings.SITE_URL.rstrip("/") + reverse("duty:roster-detail", args=[roster.pk])
    lines += ["", _("Add a shift or an override to cover them: %(url)s") % {"url": url}]
    return "\n".join(lines)


def warn_gaps(today: dt.date | None = None) -> GapWarningResult:
    """Tell each unit's admins the new gaps of its rosters starting within DAYS_AHEAD days.

    Through the outbox (notify/reach.py): a roster whose unit has nobody to tell shows
    there as a failed delivery, and its gaps are told again on the next run.
    """
    today = today or timezone.localdate()
    soon = list(starting_soon(today).select_related("unit"))
    rules = {r.id: r for r in rosters.load(Roster.objects.filter(pk__in=[r.pk for r in soon]))}
    sent = unreachable = total = 0
    with translation.override(settings.LANGUAGE_CODE):
        for roster in soon:
            known = set(GapNotice.objects.filter(roster=roster).values_list("starts_at", "ends_at"))
            new = [g for g in schedule.gaps(rules[roster.pk]) if g not in known]
            if not new:
                continue
            total += len(new)
            subject = _("[citysoc] Nobody on duty at %(n)d times in %(name)s") % {
                "n": len(new),
                "name": roster.name,
            }
            message = reach.tell_unit(
                roster.unit, subject, _text(roster, new), topic=TOPIC, roles=RECIPIENT_ROLES,
                related=roster,
            )  # fmt: skip
            if not reach.reaches_someone(message):
                unreachable += 1
                logger.warning(
                    "duty gaps: roster %r of %s has %d uncovered times but the unit has no "
                    "active administrator with an e-mail address; add one on its people page",
                    roster.name, roster.unit.name, len(new),
                )  # fmt: skip
                continue
            GapNotice.objects.bulk_create(
                [GapNotice(roster=roster, starts_at=a, ends_at=b) for a, b in new],
                ignore_conflicts=True,
            )
            sent += 1
    logger.info(
        "duty gap warning: %d rosters starting soon, %d new gaps, %d told, %d unreachable",
        len(soon), total, sent, unreachable,
    )  # fmt: skip
    return GapWarningResult(len(soon), sent, total, unreachable)
