"""A person's duty shifts as an iCalendar feed a phone calendar can subscribe to.

Calendar apps cannot log in, so the link carries a signed token naming the person and
the current key of their `CalendarKey`; making a new key revokes every older link.
"""

from __future__ import annotations

import datetime as dt

import icalendar
from django.core import signing
from django.utils import timezone

from citysoc.core.models import Person
from citysoc.duty import rosters, schedule
from citysoc.duty.models import CalendarKey, Roster

SALT = "citysoc.duty.ical"
# A phone shows what is coming and a little of what was; older shifts are in the log.
PAST = dt.timedelta(days=30)
FUTURE = dt.timedelta(days=400)


def token_for(person: Person) -> str:
    key, _ = CalendarKey.objects.get_or_create(person=person)
    return signing.dumps({"p": person.pk, "k": key.key}, salt=SALT, compress=True)


def renew(person: Person) -> str:
    """A new link; the old one stops working."""
    CalendarKey.objects.update_or_create(
        person=person, defaults={"key": CalendarKey._meta.get_field("key").default()}
    )
    return token_for(person)


def person_for(token: str) -> Person | None:
    """The person a token names, or None if it is forged or was revoked."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    key = CalendarKey.objects.select_related("person").filter(person_id=data.get("p")).first()
    if key is None or key.key != data.get("k") or not key.person.is_active:
        return None
    return key.person


def shifts_of(person: Person, start: dt.datetime, end: dt.datetime):
    """(roster rules, segment) for every stretch `person` is on duty within [start, end)."""
    # A person is on duty only through a shift or an override of a roster naming them.
    queryset = Roster.objects.filter(unit_id=person.unit_id) | Roster.objects.filter(
        shifts__people=person
    )
    found = []
    for rules in rosters.load(rosters.rosters_overlapping(queryset.distinct(), start, end)):
        for segment in schedule.person_intervals(rules, person.pk, start, end):
            found.append((rules, segment))
    return sorted(found, key=lambda pair: pair[1].start)


def feed(person: Person, *, now: dt.datetime | None = None, host: str = "citysoc") -> bytes:
    """The iCalendar (RFC 5545) text of the person's shifts around `now`."""
    now = now or timezone.now()
    cal = icalendar.Calendar()
    cal.add("prodid", "-//citysoc//duty roster//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Lịch trực — {person.full_name}")
    cal.add("x-wr-timezone", str(timezone.get_default_timezone()))
    for rules, segment in shifts_of(person, now - PAST, now + FUTURE):
        event = icalendar.Event()
        event.add("uid", f"duty-{rules.id}-{person.pk}-{segment.start:%Y%m%dT%H%M}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", segment.start)
        event.add("dtend", segment.end)
        shift_names = ", ".join(segment.shifts)
        event.add(
            "summary", f"Ca trực: {rules.name}" + (f" ({shift_names})" if shift_names else "")
        )
        cal.add_component(event)
    return cal.to_ical()
