"""Export each kind as .xlsx or .csv with the template's headers, and the blank templates.

Only rows the user may see (`visible_to`) are exported. Rows are read from the database in
chunks and written as they come, so a 100,000-host export never holds all hosts at once.
Cells use the same format the importer reads (Vietnamese choice labels, dd/mm/yyyy), so
an exported file imported again changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import IO, Any

from django.db.models import QuerySet

from citysoc.core.models import Person, Unit
from citysoc.inventory import spreadsheets
from citysoc.inventory.columns import Column, allowed_text, synonyms_text
from citysoc.inventory.import_kinds import KINDS
from citysoc.inventory.models import Domain, Host, InformationSystem, IpRange

logger = logging.getLogger(__name__)

EXPORT_KINDS = ("units", "people", "systems", "hosts", "ranges", "domains")
GUIDE_SHEET = "Hướng dẫn"
CHUNK = 2000

QUERYSETS = {
    "units": Unit.objects,
    "people": Person.objects,
    "systems": InformationSystem.objects,
    "hosts": Host.objects,
    "ranges": IpRange.objects,
    "domains": Domain.objects,
}
ORDER = {
    "units": ("path",),
    "people": ("unit__code", "full_name", "pk"),
    "systems": ("unit__code", "name"),
    "hosts": ("unit__code", "hostname"),
    "ranges": ("unit__code", "version", "first_key"),
    "domains": ("unit__code", "name"),
}


def headers(kind: str) -> list[str]:
    return [c.header for c in KINDS[kind]]


def source(col: Column) -> str:
    """The values() path an export reads a column from: a reference by the name it is
    imported by (a unit by its code), so that the file imports again unchanged."""
    return f"{col.key}__{col.related_by}" if col.related_by else col.key


def _queryset(kind: str, user) -> QuerySet:
    return QUERYSETS[kind].visible_to(user).order_by(*ORDER[kind])


def rows(kind: str, user) -> Iterator[list[Any]]:
    """Every visible row of `kind` as export cells, in chunks."""
    columns = KINDS[kind]
    paths = {c.key: source(c) for c in columns if c.key != "systems"}
    values = _queryset(kind, user).values("pk", *paths.values())
    chunk: list[dict[str, Any]] = []
    for row in values.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield from _cells(kind, columns, paths, chunk)
            chunk = []
    yield from _cells(kind, columns, paths, chunk)


def _cells(kind: str, columns, paths: dict[str, str], chunk: list[dict]) -> Iterator[list[Any]]:
    systems = _host_systems([r["pk"] for r in chunk]) if kind == "hosts" and chunk else {}
    for row in chunk:
        out = []
        for col in columns:
            if col.key == "systems":
                out.append("; ".join(systems.get(row["pk"], [])))
            else:
                out.append(col.format(row[paths[col.key]]))
        yield out


def _host_systems(host_ids: list[int]) -> dict[int, list[str]]:
    through = Host.systems.through
    links = through.objects.filter(host_id__in=host_ids).values_list(
        "host_id", "informationsystem__name"
    )
    found: dict[int, list[str]] = {}
    for host_id, name in links.order_by("informationsystem__name"):
        found.setdefault(host_id, []).append(name)
    return found


def export_xlsx(out: IO[bytes] | str, kind: str, user) -> None:
    spreadsheets.write_xlsx(out, kind, headers(kind), rows(kind, user))


def export_csv_lines(kind: str, user) -> Iterator[str]:
    return spreadsheets.csv_lines(headers(kind), rows(kind, user))


# Templates


def guide(kind: str) -> tuple[str, list[list[str]]]:
    """The "Hướng dẫn" sheet: one line per column with its meaning, allowed values and the
    other words a choice cell may hold (the field's table in `synonyms.py`)."""
    lines = [
        [
            "Cột / Column",
            "English header",
            "Bắt buộc / Required",
            "Giải thích / Meaning",
            "Giá trị được phép / Allowed values",
            "Ví dụ / Example",
            "Cũng chấp nhận / Also accepted",
        ]
    ]
    for col in KINDS[kind]:
        lines.append(
            [
                col.header,
                col.aliases[0] if col.aliases else col.key,
                "có / yes" if col.required else "",
                str(col.help),
                allowed_text(col),
                col.example,
                synonyms_text(col),
            ]
        )
    return GUIDE_SHEET, lines


def template_xlsx(out: IO[bytes] | str, kind: str) -> None:
    """A blank workbook for `kind`: the header row and the guide sheet."""
    spreadsheets.write_xlsx(out, kind, headers(kind), [], guide=guide(kind))
