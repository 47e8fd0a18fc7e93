"""Which private addresses a unit's outbound requests may reach, from the database and settings.

The rule itself (and the connection-time check) is `citysoc.lib.outbound`; this module
builds its policy: the unit's registered IP ranges (its own and its sub-units', which its
people already manage) plus the city's `OUTBOUND_ALLOW`. City-wide requests (a channel
without a unit, intel feeds, the RDAP server) get `OUTBOUND_ALLOW` alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysoc.lib import iprange
from citysoc.lib import outbound as rule
from citysoc.lib.outbound import OutboundPolicy

_KINDS = {
    rule.UNSPECIFIED: gettext_lazy("an unspecified address"),
    rule.LOOPBACK: gettext_lazy("a loopback address"),
    rule.LINK_LOCAL: gettext_lazy("a link-local address"),
    rule.MULTICAST: gettext_lazy("a multicast address"),
    rule.RESERVED: gettext_lazy("a reserved address"),
    rule.THIS_SERVER: gettext_lazy("an address of this server"),
    rule.PRIVATE: gettext_lazy(
        "a private address outside the unit's ranges and the city's allowlist (OUTBOUND_ALLOW)"
    ),
    rule.SHARED: gettext_lazy(
        "a shared (carrier) address outside the unit's ranges and the city's allowlist "
        "(OUTBOUND_ALLOW)"
    ),
}


def city_allowlist() -> tuple[iprange.IpRange, ...]:
    """`OUTBOUND_ALLOW` parsed; a bad entry stops with the entry named."""
    ranges = []
    for text in getattr(settings, "OUTBOUND_ALLOW", []) or []:
        try:
            ranges.append(iprange.parse_range(text))
        except iprange.RangeError as exc:
            raise ImproperlyConfigured(f"OUTBOUND_ALLOW: {exc}") from exc
    return tuple(ranges)


RangesOf = Callable[[Any], tuple[iprange.IpRange, ...]]


def _no_ranges(unit) -> tuple[iprange.IpRange, ...]:
    return ()


# The inventory owns the ranges: it registers its reader from its AppConfig.ready(), so core
# imports no app. Without it a unit's requests reach only `OUTBOUND_ALLOW`.
_ranges_of: RangesOf = _no_ranges


def register_unit_ranges(reader: RangesOf) -> None:
    """Set where a unit's registered ranges come from (`inventory.outbound`)."""
    global _ranges_of
    _ranges_of = reader


def unit_ranges(unit) -> tuple[iprange.IpRange, ...]:
    """The approved address ranges of `unit` and its sub-units: a range still waiting for
    the city's approval (a ward claiming 10.0.0.0/8) widens nothing."""
    return _ranges_of(unit)


def policy_for(unit) -> OutboundPolicy:
    """Where requests made for `unit` may go (None: a city-wide request)."""
    own = unit_ranges(unit) if unit is not None else ()
    return OutboundPolicy(own + city_allowlist())


def validate_url(url: str, unit=None) -> None:
    """Refuse, at input, a URL whose host is visibly a place the server must not reach.

    Only what the text shows (a literal address, `localhost`): a name is judged when the
    request is made, by the connection-time check.
    """
    found = policy_for(unit).url_host_refused(url)
    if found:
        host, kind = found
        raise ValidationError(
            _("This address cannot be reached from the server: %(host)s is %(kind)s.")
            % {"host": host, "kind": _KINDS.get(kind, kind)}
        )
