"""Shift swaps (đổi ca): A asks B to take one occurrence; B's answer decides.

Only B (the person's own login) or an editor of the unit may accept or decline; the
requester (or an editor) may cancel while it waits. Acceptance records an override "B
instead of A" for exactly the occurrence, so the schedule, the board and both people's
calendars follow without anything else changing.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core.models import Person
from citysoc.core.tenancy import can_edit
from citysoc.duty import rosters, schedule
from citysoc.duty.models import Override, Shift, SwapRequest


def occurrence_on(shift: Shift, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The occurrence of `shift` starting on `day`, clipped to its roster; ValidationError
    if the shift does not run that day."""
    roster = rosters.to_rules(shift.roster)
    rule = next(r for r in roster.shifts if r.id == shift.pk)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=roster.zone)
    for occ in schedule.expand(rule, start, start + dt.timedelta(days=1), roster.zone):
        if occ.start.astimezone(roster.zone).date() == day:
            s, e = max(occ.start, roster.start), min(occ.end, roster.end)
            if s < e:
                return s, e
    raise ValidationError(
        _("The shift %(shift)s does not run on %(day)s.")
        % {"shift": shift.name, "day": day.strftime("%d/%m/%Y")}
    )


def request_swap(
    shift: Shift, day: dt.date, requester: Person, target: Person, *, note: str = ""
) -> SwapRequest:
    """Record A's request to B for the occurrence of `shift` on `day`."""
    if requester.pk not in {p.pk for p in shift.people.all()}:
        raise ValidationError(
            _("%(person)s is not on the shift %(shift)s.")
            % {"person": requester.full_name, "shift": shift.name}
        )
    if target.pk == requester.pk:
        raise ValidationError(_("Ask someone else to take the shift."))
    if target.unit_id != shift.roster.unit_id:
        raise ValidationError(_("The person taking the shift must belong to the same unit."))
    start, end = occurrence_on(shift, day)
    return SwapRequest.objects.create(
        unit=shift.roster.unit,
        roster=shift.roster,
        shift=shift,
        starts_at=start,
        ends_at=end,
        requester=requester,
        target=target,
        note=note,
    )


def may_answer(user, swap: SwapRequest) -> bool:
    """B's own login, or an editor of the unit."""
    return bool(swap.target.user_id and swap.target.user_id == user.pk) or can_edit(user, swap.unit)


def may_cancel(user, swap: SwapRequest) -> bool:
    return bool(swap.requester.user_id and swap.requester.user_id == user.pk) or can_edit(
        user, swap.unit
    )


def _decide(swap: SwapRequest, user, status: str) -> None:
    swap.status = status
    swap.decided_at = timezone.now()
    swap.decided_by = user
    swap.save(update_fields=["status", "decided_at", "decided_by", "override"])


def _pending(swap: SwapRequest) -> SwapRequest:
    locked = SwapRequest.objects.select_for_update().get(pk=swap.pk)
    if locked.status != SwapRequest.Status.PENDING:
        raise ValidationError(
            _("This request was already answered: %(status)s.")
            % {"status": locked.get_status_display()}
        )
    return locked


def accept(swap: SwapRequest, user) -> Override:
    """B takes the occurrence: an override "B instead of A" is recorded."""
    if not may_answer(user, swap):
        raise PermissionDenied(_("Only the person asked, or an editor of the unit, can accept."))
    with transaction.atomic():
        swap = _pending(swap)
        swap.override = Override.objects.create(
            roster=swap.roster,
            person=swap.target,
            replaces=swap.requester,
            starts_at=swap.starts_at,
            ends_at=swap.ends_at,
            reason=_("Swap: %(b)s instead of %(a)s") % {"a": swap.requester, "b": swap.target},
        )
        _decide(swap, user, SwapRequest.Status.ACCEPTED)
    return swap.override


def decline(swap: SwapRequest, user) -> None:
    if not may_answer(user, swap):
        raise PermissionDenied(_("Only the person asked, or an editor of the unit, can decline."))
    with transaction.atomic():
        _decide(_pending(swap), user, SwapRequest.Status.DECLINED)


def cancel(swap: SwapRequest, user) -> None:
    if not may_cancel(user, swap):
        raise PermissionDenied(
            _("Only the person who asked, or an editor of the unit, can cancel.")
        )
    with transaction.atomic():
        _decide(_pending(swap), user, SwapRequest.Status.CANCELLED)
