"""The order people expect units in: by the tree, siblings by kind, then by name.

The materialised path ("/1/7/23/") orders by internal id, so a commune created early sat
between the departments and the ISPs among them. Here each unit sorts by the chain of
its ancestors, every step keyed by (kind, name): under the city the departments come
first, then the wards and communes, schools, public service units, enterprises, ISPs;
within a kind by name as a Vietnamese reader expects ("Phường 2" before "Phường 10",
"Đông" with the "D"s).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.db.models import Case, IntegerField, QuerySet, Value, When

from citysoc.core.models import Unit

KIND_RANK = {kind: rank for rank, kind in enumerate(Unit.Kind.values)}
_VN_D = str.maketrans({"đ": "d", "Đ": "D"})
_NUMBER = re.compile(r"(\d+)")


def name_key(name: str) -> tuple:
    """Sort key of a name: accents and case folded, numbers by value, the name to break ties."""
    plain = unicodedata.normalize("NFD", name.translate(_VN_D))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in _NUMBER.split(plain) if p)
    return (parts, name)


def _ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def in_tree_order(units: Iterable[Unit]) -> list[Unit]:
    """The units sorted by the tree, kind, then name (one query for hidden ancestors)."""
    units = list(units)
    known = {u.pk: u for u in units}
    missing = {pk for u in units for pk in _ids(u.path)} - known.keys()
    if missing:
        # Ancestors the user may not see are read for their place only, never shown.
        known.update(Unit.objects.only("pk", "name", "kind", "path").in_bulk(missing))

    def key(unit: Unit) -> tuple:
        chain = [known[pk] for pk in _ids(unit.path) if pk in known]
        return tuple((KIND_RANK.get(a.kind, len(KIND_RANK)), name_key(a.name)) for a in chain)

    return sorted(units, key=key)


def tree_rank(units: QuerySet[Unit], field: str = "pk") -> Case:
    """An ORDER BY expression putting rows in `in_tree_order` of `units`.

    `field` names the unit's id on the model being ordered ("pk" for units, "unit_id" for
    rows that belong to a unit), so paginated tables keep the database doing the paging.
    """
    order = in_tree_order(units.only("pk", "name", "kind", "path"))
    return Case(
        *(When(**{field: u.pk}, then=Value(i)) for i, u in enumerate(order)),
        default=Value(len(order)),
        output_field=IntegerField(),
    )
