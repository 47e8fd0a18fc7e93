""" "Who owns this IP / domain?": the units, ranges, hosts, systems and domains that match.

Everything is read through `visible_to(user)`, so a ward officer asking about another
ward's address gets the same empty answer as for an unknown address; and only approved
hosts and ranges answer, the same entries attribution uses (see `claims`).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from citysoc.core.models import Unit
from citysoc.inventory.models import Domain, Host, InformationSystem, IpRange
from citysoc.lib import domains as domain_lib
from citysoc.lib import iprange


@dataclass
class LookupResult:
    """The answer for one query; `kind` is "ip", "domain" or "" when the text is neither."""

    query: str
    kind: str = ""
    normalized: str = ""
    error: str = ""
    units: list[Unit] = field(default_factory=list)
    ranges: list[IpRange] = field(default_factory=list)
    hosts: list[Host] = field(default_factory=list)
    systems: list[InformationSystem] = field(default_factory=list)
    domains: list[Domain] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.ranges or self.hosts or self.domains)


def _host_part(text: str) -> str:
    """The host of a URL ('https://x.gov.vn/a' -> 'x.gov.vn', 'http://[::1]:80' -> '::1')."""
    raw = text.strip()
    if "://" in raw:
        return urlsplit(raw).hostname or ""
    return raw


def _as_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None


def _unique(items) -> list:
    seen: dict[int, object] = {}
    for item in items:
        seen.setdefault(item.pk, item)
    return list(seen.values())


def _units_of(*groups) -> list[Unit]:
    units = _unique(row.unit for group in groups for row in group)
    return sorted(units, key=lambda u: u.path)


def lookup_ip(user, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> LookupResult:
    text = str(address)
    result = LookupResult(query=text, kind="ip", normalized=text)
    field_name = "ipv4" if address.version == 4 else "ipv6"
    result.hosts = list(
        Host.objects.approved().visible_to(user).filter(**{field_name: text}).select_related("unit")
    )
    version, key = iprange.address_key(text)
    result.ranges = list(
        IpRange.objects.approved()
        .visible_to(user)
        .filter(version=version, first_key__lte=key, last_key__gte=key)
        .select_related("unit")
        .order_by("unit__path", "first_key")
    )
    result.systems = list(
        InformationSystem.objects.visible_to(user)
        .filter(hosts__in=[h.pk for h in result.hosts])
        .select_related("unit")
        .distinct()
    )
    result.units = _units_of(result.hosts, result.ranges, result.systems)
    return result


def lookup_domain(user, name: str) -> LookupResult:
    result = LookupResult(query=name, kind="domain", normalized=name)
    result.domains = list(
        Domain.objects.visible_to(user)
        .filter(name__in=domain_lib.parents(name))
        .select_related("unit", "system__unit")
    )
    # The longest (most specific) match first: www.x.gov.vn before x.gov.vn.
    result.domains.sort(key=lambda d: (-len(d.name), d.name))
    result.systems = _unique(d.system for d in result.domains if d.system_id)
    result.units = _units_of(result.domains, result.systems)
    return result


def lookup(user, text: str) -> LookupResult:
    """Answer "who owns" an IP address, a domain name or a URL, within the user's scope."""
    host = _host_part(text)
    if not host:
        return LookupResult(query=text, error=_("Type an IP address, a domain name or a URL."))
    address = _as_ip(host)
    if address is not None:
        return lookup_ip(user, address)
    try:
        name = domain_lib.normalize_domain(host)
    except domain_lib.DomainError:
        return LookupResult(
            query=text,
            error=_("'%(text)s' is neither an IP address nor a domain name.") % {"text": text},
        )
    return lookup_domain(user, name)
