"""The incident contacts directory shown on every incident: the national bodies of the day
(`lib/data/bodies.yaml`), the dated contacts kept on the contacts page (the city's own, the
provincial police cyber unit's officers, a unit's responders), and the ISPs' 24/7 contacts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from citysoc.core.models import Unit
from citysoc.incidents.models import Contact
from citysoc.lib import bodies

NATIONAL_ROLES = (
    "national_cert",
    "national_monitoring",
    "provincial_security",
    "national_security",
)


@dataclass(frozen=True)
class Entry:
    kind: str
    name: str
    organisation: str
    phone: str
    email: str
    note: str = ""
    source: str = ""


def _national(on: dt.date) -> list[Entry]:
    found = []
    for role in NATIONAL_ROLES:
        try:
            body = bodies.in_force(role, on)
        except bodies.UnknownBodyError:
            continue
        note = "" if body.confirmed else "chưa xác nhận lại sau 03/2025"
        found.append(Entry("national", body.short, body.name, body.contact, "", note, body.source))
    return found


def _kept(unit: Unit | None, on: dt.date) -> list[Entry]:
    rows = Contact.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    mine = Q(unit__isnull=True)
    if unit is not None:
        ancestors = [int(pk) for pk in unit.path.strip("/").split("/") if pk]
        mine |= Q(unit__in=ancestors)
    return [
        Entry(c.kind, c.name, c.organisation, c.phone, c.email, c.note)
        for c in rows.filter(mine).order_by("kind", "name")
    ]


def _isps() -> list[Entry]:
    return [
        Entry("isp", u.incident_contact_name or u.name, u.name,
              u.incident_contact_phone or u.phone, u.incident_contact_email or u.email)
        for u in Unit.objects.filter(kind=Unit.Kind.ISP).order_by("name")
    ]  # fmt: skip


def directory(unit: Unit | None, on: dt.date) -> list[Entry]:
    """Everyone to call about an incident of `unit` on `on`, national bodies first."""
    own = []
    if unit is not None and (unit.incident_contact_phone or unit.incident_contact_email):
        own = [Entry("unit", unit.incident_contact_name, unit.name,
                     unit.incident_contact_phone, unit.incident_contact_email)]  # fmt: skip
    return [*_national(on), *_kept(unit, on), *own, *_isps()]
