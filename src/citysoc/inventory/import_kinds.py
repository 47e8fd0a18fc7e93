"""The kinds of file the importer and exporter know, and matching a header row to a kind.

A header cell finds its column by the folded Vietnamese header, the field name or an
English alias (`Column.names`); columns a file has that no kind knows are listed, not used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from citysoc.inventory.asset_fields import DOMAIN_FIELDS, HOST_FIELDS, RANGE_FIELDS
from citysoc.inventory.columns import Column, allowed_text, cell_text, fold, synonyms_text
from citysoc.inventory.system_fields import SYSTEM_FIELDS
from citysoc.inventory.unit_columns import ADDRESS_PLAN_COLUMNS, PEOPLE_COLUMNS, UNIT_COLUMNS

KINDS: dict[str, tuple[Column, ...]] = {
    "units": UNIT_COLUMNS,
    "people": PEOPLE_COLUMNS,
    "systems": SYSTEM_FIELDS,
    "hosts": HOST_FIELDS,
    "ranges": RANGE_FIELDS,
    "domains": DOMAIN_FIELDS,
    "address_plan": ADDRESS_PLAN_COLUMNS,
}

# Natural keys: a row whose key already exists updates that row instead of adding one.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "units": ("code",),
    "people": ("unit", "full_name"),
    "systems": ("unit", "name"),
    "hosts": ("unit", "hostname"),
    "ranges": ("unit", "text"),
    "domains": ("unit", "name"),
    "address_plan": ("unit_code", "cidr"),
}


@dataclass(frozen=True)
class Mapping:
    """Which file column feeds which field; columns we do not know are listed, not used."""

    by_index: dict[int, Column]
    ignored: list[str]
    missing: list[Column]
    duplicates: list[str]


def map_header(kind: str, header: list[Any]) -> Mapping:
    columns = KINDS[kind]
    by_index: dict[int, Column] = {}
    seen: set[str] = set()
    ignored: list[str] = []
    duplicates: list[str] = []
    for index, raw in enumerate(header):
        name = fold(raw)
        if not name:
            continue
        col = next((c for c in columns if name in c.names), None)
        if col is None:
            ignored.append(cell_text(raw))
        elif col.key in seen:
            duplicates.append(cell_text(raw))
        else:
            seen.add(col.key)
            by_index[index] = col
    missing = [c for c in columns if c.required and c.key not in seen]
    return Mapping(by_index, ignored, missing, duplicates)


def markdown_table(kind: str) -> str:
    """The columns of `kind` as a Markdown table, for docs/import.md."""
    lines = [
        "| Vietnamese header | English header | required | meaning | allowed values"
        " | also accepted |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for col in KINDS[kind]:
        english = col.aliases[0] if col.aliases else col.key
        required = "yes" if col.required else ""
        lines.append(
            f"| {col.header} | {english} | {required} | {col.help} | {allowed_text(col)}"
            f" | {synonyms_text(col)} |"
        )
    return "\n".join(lines)
