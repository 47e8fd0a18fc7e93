"""A unit's approved address ranges, for the outbound policy (`core.outbound`).

Registered from `InventoryConfig.ready()` with `core.outbound.register_unit_ranges`.
"""

from __future__ import annotations

from citysoc.core.models import Unit
from citysoc.inventory.models import IpRange
from citysoc.lib import iprange


def unit_ranges(unit: Unit) -> tuple[iprange.IpRange, ...]:
    """The approved ranges of `unit` and its sub-units: a range still waiting for the city's
    approval (a ward claiming 10.0.0.0/8) widens nothing."""
    ranges = IpRange.objects.approved().filter(unit__path__startswith=unit.path)
    rows = ranges.values_list("version", "first_key", "last_key")
    return tuple(iprange.IpRange(v, int(first, 16), int(last, 16)) for v, first, last in rows)
