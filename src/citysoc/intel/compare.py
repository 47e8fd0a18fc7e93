"""List versions compared, per unit: new, still listed, no longer listed; trend over months."""

from __future__ import annotations

from dataclasses import dataclass, field

from citysoc.intel.models import ListVersion, Sighting


@dataclass
class UnitChange:
    unit_id: int
    unit_code: str
    unit_name: str
    new: list[str] = field(default_factory=list)
    still: list[str] = field(default_factory=list)
    delisted: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "unit": self.unit_code,
            "name": self.unit_name,
            "new": self.new,
            "still": self.still,
            "delisted": self.delisted,
        }


def _listed(version: ListVersion | None, units) -> dict[int, tuple[str, str, set[str]]]:
    out: dict[int, tuple[str, str, set[str]]] = {}
    if version is None:
        return out
    rows = Sighting.objects.filter(version=version, via=Sighting.Via.LIST)
    if units is not None:
        rows = rows.filter(unit__in=units)
    for unit_id, code, name, ip in rows.values_list("unit_id", "unit__code", "unit__name", "ip"):
        out.setdefault(unit_id, (code, name, set()))[2].add(ip)
    return out


def compare(version: ListVersion, units=None) -> list[UnitChange]:
    """Per unit (limited to `units`, a queryset, when given): this version vs the previous
    version of the same source. A unit appears when it has anything in either version."""
    now = _listed(version, units)
    before = _listed(version.previous(), units)
    changes = []
    for unit_id in sorted(set(now) | set(before), key=lambda u: (now.get(u) or before[u])[0]):
        code, name, current = now.get(unit_id) or (*before[unit_id][:2], set())
        previous = before.get(unit_id, ("", "", set()))[2]
        changes.append(
            UnitChange(
                unit_id,
                code,
                name,
                new=sorted(current - previous),
                still=sorted(current & previous),
                delisted=sorted(previous - current),
            )
        )
    return changes


def trend(source_id: int, units=None, limit: int = 12) -> tuple[list[ListVersion], dict]:
    """Listed addresses per unit over the last `limit` versions of one source (oldest first).

    Returns (versions, {unit name: [count per version]}).
    """
    versions = list(
        ListVersion.objects.filter(source_id=source_id, status=ListVersion.Status.DONE).order_by(
            "-id"
        )[:limit]
    )[::-1]
    index = {v.pk: i for i, v in enumerate(versions)}
    rows = Sighting.objects.filter(version__in=versions, via=Sighting.Via.LIST)
    if units is not None:
        rows = rows.filter(unit__in=units)
    series: dict[str, list[int]] = {}
    for name, version_id in rows.values_list("unit__name", "version_id"):
        series.setdefault(name, [0] * len(versions))[index[version_id]] += 1
    return versions, dict(sorted(series.items()))
