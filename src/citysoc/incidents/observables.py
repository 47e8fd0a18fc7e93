"""Observables of incidents: normalised on entry, searched across incidents, linked to the
indicator lists of `intel` where a list holds the same value, and shared observables make
incidents "similar"."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from citysoc.alerts.models import Incident
from citysoc.incidents.models import Observable

HASH = re.compile(r"^[0-9a-f]{32}$|^[0-9a-f]{40}$|^[0-9a-f]{64}$")
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")


class BadObservable(ValueError):
    """A value that is not of the kind given; the message says what was expected."""


def guess_kind(value: str) -> str:
    """The kind of a pasted value: IP, URL, e-mail, hash, else domain."""
    value = value.strip().lower()
    try:
        ipaddress.ip_address(value)
        return Observable.Kind.IP
    except ValueError:
        pass
    if "://" in value:
        return Observable.Kind.URL
    if "@" in value:
        return Observable.Kind.EMAIL
    if HASH.match(value):
        return Observable.Kind.HASH
    return Observable.Kind.DOMAIN


def normalise(kind: str, value: str) -> str:
    """The stored form of `value`; raises BadObservable naming the problem."""
    value = value.strip()
    if kind == Observable.Kind.IP:
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            raise BadObservable(_("%(v)s is not an IP address.") % {"v": value}) from None
    if kind == Observable.Kind.URL:
        if urlsplit(value).scheme not in ("http", "https", "ftp") or not urlsplit(value).netloc:
            raise BadObservable(_("%(v)s is not a web address (http://…).") % {"v": value})
        return value
    value = value.lower().rstrip(".")
    checks: dict[str, re.Pattern[str]] = {
        Observable.Kind.HASH: HASH,
        Observable.Kind.DOMAIN: DOMAIN,
        Observable.Kind.EMAIL: EMAIL,
    }
    if not checks[kind].match(value):
        raise BadObservable(
            _("%(v)s is not a valid %(kind)s.") % {"v": value, "kind": Observable.Kind(kind).label}
        )
    return value


def add(incident: Incident, value: str, kind: str = "", note: str = "") -> Observable:
    kind = kind or guess_kind(value)
    clean = normalise(kind, value)
    observable, _created = Observable.objects.get_or_create(
        incident=incident, kind=kind, value=clean, defaults={"note": note[:300]}
    )
    return observable


def search(user, query: str) -> QuerySet[Observable]:
    """Observables of the incidents `user` may see whose value contains `query`."""
    query = query.strip().lower()
    rows = Observable.objects.visible_to(user).select_related("incident", "incident__unit")
    return rows.filter(value__icontains=query) if query else rows.none()


def similar(incident: Incident, user) -> list[tuple[Incident, int]]:
    """Other incidents `user` may see sharing observables with this one, most shared first."""
    values = list(incident.observables.values_list("value", flat=True))
    if not values:
        return []
    rows = (
        Observable.objects.visible_to(user)
        .filter(value__in=values)
        .exclude(incident=incident)
        .values("incident")
        .annotate(shared=Count("pk"))
        .order_by("-shared", "-incident")[:20]
    )
    shared = {row["incident"]: row["shared"] for row in rows}
    incidents = Incident.objects.filter(pk__in=shared).select_related("unit")
    return sorted(((i, shared[i.pk]) for i in incidents), key=lambda p: (-p[1], -p[0].pk))


def intel_hits(values: list[str]) -> dict[str, list[str]]:
    """Value -> names of the indicator lists that hold it (the latest version of each)."""
    from citysoc.intel.models import Indicator

    hits: dict[str, list[str]] = {}
    rows = (
        Indicator.objects.filter(value__in=values)
        .values_list("value", "version__source__name")
        .distinct()
    )
    for value, source in rows:
        hits.setdefault(value, []).append(source)
    return hits
