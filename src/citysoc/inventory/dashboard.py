"""The dashboard's per-unit inventory table and a unit page's inventory counts.

Registered with `core.landing` from `InventoryConfig.ready()`: the dashboard box (systems
by level, hosts, ranges, domains for every visible unit, with a totals row) and the unit
page's box (the same counts for one unit's own rows). Core imports none of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from citysoc.core.models import Unit
from citysoc.core.ordering import in_tree_order
from citysoc.inventory.models import Domain, Host, InformationSystem, IpRange

LEVELS = (1, 2, 3, 4, 5)


@dataclass
class UnitCounts:
    """The counts of one unit (or the totals row, with `unit` None)."""

    unit: Unit | None
    by_level: dict[int | None, int] = field(
        default_factory=lambda: dict.fromkeys((*LEVELS, None), 0)
    )
    systems: int = 0
    unapproved: int = 0
    hosts: int = 0
    ranges: int = 0
    domains: int = 0

    @property
    def levels(self) -> list[int]:
        """Systems per level 1-5, then without a level, in column order for the table."""
        return [self.by_level[level] for level in (*LEVELS, None)]


@dataclass
class InventoryTable:
    rows: list[UnitCounts]
    totals: UnitCounts
    levels: tuple[int, ...] = LEVELS


def _approved() -> Q:
    return Q(security_level__isnull=False, dossier_status="approved")


def _system_aggregates() -> dict[str, Count]:
    aggregates = {f"l{level}": Count("pk", filter=Q(security_level=level)) for level in LEVELS}
    aggregates["lnone"] = Count("pk", filter=Q(security_level__isnull=True))
    aggregates["unapproved"] = Count("pk", filter=~_approved())
    aggregates["total"] = Count("pk")
    return aggregates


def _system_counts(user) -> dict[int, dict[str, int]]:
    rows: Iterable[Mapping[str, Any]] = (  # unit_id and the counts named by _system_aggregates()
        InformationSystem.objects.visible_to(user)
        .order_by()
        .values("unit_id")
        .annotate(**_system_aggregates())
    )
    return {row["unit_id"]: {k: v for k, v in row.items() if k != "unit_id"} for row in rows}


def _count_by_unit(model, user) -> dict[int, int]:
    rows = model.objects.visible_to(user).order_by().values("unit_id").annotate(n=Count("pk"))
    return {row["unit_id"]: row["n"] for row in rows}


def _fill(counts: UnitCounts, systems: dict[str, int] | None) -> None:
    if not systems:
        return
    for level in LEVELS:
        counts.by_level[level] = systems[f"l{level}"]
    counts.by_level[None] = systems["lnone"]
    counts.systems = systems["total"]
    counts.unapproved = systems["unapproved"]


def _add(totals: UnitCounts, row: UnitCounts) -> None:
    for level, n in row.by_level.items():
        totals.by_level[level] += n
    totals.systems += row.systems
    totals.unapproved += row.unapproved
    totals.hosts += row.hosts
    totals.ranges += row.ranges
    totals.domains += row.domains


def table_for(user) -> InventoryTable:
    """Counts for every unit the user may see, in tree order (kind, name), with a totals row.

    Five queries whatever the number of units: the units, then one grouped count each for
    systems (by level and approval), hosts, ranges and domains.
    """
    units = in_tree_order(Unit.objects.visible_to(user))
    systems = _system_counts(user)
    hosts = _count_by_unit(Host, user)
    ranges = _count_by_unit(IpRange, user)
    domains = _count_by_unit(Domain, user)
    totals = UnitCounts(unit=None)
    rows = []
    for unit in units:
        row = UnitCounts(
            unit=unit,
            hosts=hosts.get(unit.pk, 0),
            ranges=ranges.get(unit.pk, 0),
            domains=domains.get(unit.pk, 0),
        )
        _fill(row, systems.get(unit.pk))
        _add(totals, row)
        rows.append(row)
    return InventoryTable(rows=rows, totals=totals)


def unit_counts(unit: Unit) -> UnitCounts:
    """The same counts for one unit's own rows (not its sub-units), for its detail page."""
    row = UnitCounts(
        unit=unit,
        hosts=Host.objects.filter(unit=unit).count(),
        ranges=IpRange.objects.filter(unit=unit).count(),
        domains=Domain.objects.filter(unit=unit).count(),
    )
    systems = InformationSystem.objects.filter(unit=unit).aggregate(**_system_aggregates())
    _fill(row, systems)
    return row
