"""The duty log (sổ nhật ký trực): entries and the handover at each shift change."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core.models import Person, Unit
from citysoc.duty.models import Handover, LogEntry

# A queryset of log entries or handovers, returned as the same kind of queryset.
Rows = TypeVar("Rows", bound=QuerySet)

# Duty-log entries and handovers older than this are typing errors (no unit kept a log on
# this hub then); one later than tomorrow is one too.
EARLIEST_ENTRY = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def check_entry_time(value: dt.datetime) -> None:
    """Refuse a log or handover time in year 379 or next year: it would sort the log out of
    order for good. Raises ValidationError with a sentence for the officer."""
    if not EARLIEST_ENTRY <= value <= timezone.now() + dt.timedelta(days=1):
        raise ValidationError(_("Give a time between the year 2000 and tomorrow."))


def person_of(user, unit: Unit) -> Person | None:
    """The writer's own person in `unit`, if they have one there."""
    if user is None or not user.is_authenticated:
        return None
    return Person.objects.filter(user=user, unit=unit).first()


def write(unit: Unit, user, *, checked: str, seen: str = "", done: str = "", **extra) -> LogEntry:
    """Add an entry; the person on duty defaults to the writer's own person in the unit."""
    if not checked.strip():
        raise ValidationError({"checked": _("Say what was checked.")})
    person = extra.pop("person", None) or person_of(user, unit)
    return LogEntry.objects.create(
        unit=unit,
        checked=checked.strip(),
        seen=seen.strip(),
        done=done.strip(),
        person=person,
        written_by=user if user is not None and user.is_authenticated else None,
        **extra,
    )


def may_acknowledge(user, handover: Handover) -> bool:
    """Only the incoming person's own login acknowledges: that is the point of it."""
    return bool(handover.to_person.user_id) and handover.to_person.user_id == user.pk


def acknowledge(handover: Handover, user) -> Handover:
    if not may_acknowledge(user, handover):
        raise PermissionDenied(_("Only the incoming person can acknowledge this handover."))
    if handover.acknowledged_at is None:
        handover.acknowledged_at = timezone.now()
        handover.acknowledged_by = user
        handover.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return handover


def in_period(queryset: Rows, first: dt.date | None, last: dt.date | None) -> Rows:
    """Rows whose `at` falls on a local day from `first` to `last` (inclusive)."""
    zone = timezone.get_default_timezone()
    if first:
        queryset = queryset.filter(at__gte=dt.datetime.combine(first, dt.time(0), tzinfo=zone))
    if last:
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
        queryset = queryset.filter(at__lt=end)
    return queryset
