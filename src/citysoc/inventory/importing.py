"""Spreadsheet import: read every row, validate everything, then write in one transaction.

`check()` reads a file into plain records and collects every error as (sheet, row as
Excel shows it, column header, reason); it writes nothing. `write()` upserts the valid
records on their natural key (see `import_kinds.NATURAL_KEYS`) with bulk statements in
batches. A file with errors is saved only when the user asks for the valid rows only;
the rejected rows then come back as a file with a "Lỗi" column.

Records in = created + updated + rejected, always ("updated" counts rows matched on their
natural key, `unchanged` says how many of those already held the same values).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core import audit
from citysoc.core.models import Person, Unit
from citysoc.inventory import claims, spreadsheets
from citysoc.inventory.columns import CellError, fold
from citysoc.inventory.import_kinds import NATURAL_KEYS, map_header
from citysoc.inventory.import_records import Checked, Record, Result, RowError
from citysoc.inventory.import_resolving import RESOLVERS
from citysoc.inventory.models import (
    Domain,
    Host,
    InformationSystem,
    IpRange,
)

logger = logging.getLogger(__name__)

BATCH = 1000
PROGRESS_EVERY = 2000
REASON_HEADER = "Lỗi"
Progress = Callable[[int, int], None]


# Reading and validating


def check(
    path: str | Path, kind: str, user, *, filename: str = "", progress: Progress | None = None
) -> Checked:
    """Read `path` as `kind` and validate every row for `user`; write nothing."""
    table = spreadsheets.open_table(path, filename or str(path))
    mapping = map_header(kind, table.header)
    checked = Checked(
        kind, filename or Path(path).name, table.sheet, table.header, table.header_row, mapping
    )
    checked.user = user
    for col in mapping.missing:
        checked.errors.append(
            RowError(
                table.sheet,
                table.header_row,
                col.header,
                _("Required column is missing. Download the template to see the expected headers."),
            )
        )
    for header in mapping.duplicates:
        checked.errors.append(
            RowError(
                table.sheet,
                table.header_row,
                header,
                _("This column appears twice; delete one of the two."),
            )
        )
    if checked.errors:
        return checked
    for number, cells in table.rows:
        checked.records.append(_parse_row(checked, number, cells))
        if progress and len(checked.records) % PROGRESS_EVERY == 0:
            progress(len(checked.records), max(table.estimated_rows, len(checked.records)))
    checked.total_rows = len(checked.records)
    RESOLVERS[kind](checked, user)
    _reject_duplicates(checked)
    if progress:
        progress(checked.total_rows, checked.total_rows)
    return checked


def _parse_row(checked: Checked, number: int, cells: list[Any]) -> Record:
    record = Record(number, {})
    for index, col in checked.mapping.by_index.items():
        try:
            record.values[col.key] = col.parse(cells[index] if index < len(cells) else None)
        except CellError as exc:
            checked.errors.append(
                RowError(checked.sheet, number, str(checked.header[index]), str(exc))
            )
    return record


def _reject_duplicates(checked: Checked) -> None:
    first_row: dict[tuple, int] = {}
    bad = checked.rejected_rows
    for record in checked.records:
        if record.row in bad or not record.key:
            continue
        if record.key in first_row:
            column = NATURAL_KEYS[checked.kind][-1]
            checked.fail(
                record,
                column,
                _("The same row as row %(n)d (same unit and name); keep only one of them.")
                % {"n": first_row[record.key]},
            )
        else:
            first_row[record.key] = record.row


# The default manager of each is its `objects`, read as `_default_manager`, the one name
# every model answers to.
MODELS: dict[str, type[Model]] = {
    "people": Person,
    "systems": InformationSystem,
    "hosts": Host,
    "ranges": IpRange,
    "domains": Domain,
    "units": Unit,
}
KEY_FIELDS = {
    "people": "full_name",
    "systems": "name",
    "hosts": "hostname",
    "ranges": "text",
    "domains": "name",
}


# Writing


def write(checked: Checked) -> Result:
    """Write the valid records of `checked` in one transaction (the caller's or a new one)."""
    records = checked.valid
    rejected = len(checked.rejected_rows)
    new_units = pending = 0
    with transaction.atomic():
        if checked.kind == "units":
            created, updated, unchanged = _write_units(records)
        elif checked.kind == "address_plan":
            from citysoc.inventory import address_plan

            created, updated, unchanged, new_units, pending = address_plan.write(
                records, checked.user
            )
        else:
            created, updated, unchanged, pending = _upsert(checked.kind, records, checked.user)
    return Result(created, updated, rejected, unchanged, new_units, pending)


def audit_import(kind: str, filename: str, result: Result, unit_id: int | None) -> None:
    """The one audit entry of an import (bulk writes fire no per-row signals)."""
    model = MODELS.get(kind, IpRange)
    counts = {
        "kind": kind,
        "filename": filename,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "rejected": result.rejected,
    }
    if kind == "address_plan":
        counts["created_units"] = result.created_units
    if kind in ("address_plan", "hosts", "ranges"):
        counts["pending_approval"] = result.pending
    audit.write(
        "import",
        None,
        counts,
        model=model._meta.label_lower,
        object_repr=filename[:200],
        unit_id=unit_id,
    )


def _upsert(kind: str, records: list[Record], user) -> tuple[int, int, int, int]:
    model = MODELS[kind]
    name_field = KEY_FIELDS[kind]
    unit_ids = {r.fields["unit_id"] for r in records}
    pending = 0
    if kind in claims.CLAIM_INPUT:
        pending = claims.settle_records(user, kind, records, _claimed_rows(kind, unit_ids))
    fields = sorted({k for r in records for k in r.fields if k != "systems"} - {"unit_id"})
    existing: dict[tuple, dict[str, Any]] = {}
    for stored in model._default_manager.filter(unit_id__in=unit_ids).values(
        "pk", "unit_id", *fields
    ):
        existing[(stored["unit_id"], _key_text(kind, stored[name_field]))] = stored
    now = timezone.now()
    to_create: list[Model] = []
    to_update: list[Model] = []
    unchanged = 0
    for record in records:
        row = existing.get(record.key)
        if row is None:
            to_create.append(_new(model, record.fields))
        elif any(row.get(k) != record.fields.get(k, row.get(k)) for k in fields):
            values = {k: record.fields.get(k, row[k]) for k in fields}
            to_update.append(model(pk=row["pk"], unit_id=row["unit_id"], updated_at=now, **values))
            record.fields["pk"] = row["pk"]
        else:
            unchanged += 1
            record.fields["pk"] = row["pk"]
    model._default_manager.bulk_create(to_create, batch_size=BATCH)
    if to_update:
        model._default_manager.bulk_update(
            to_update, [*fields, "updated_at"], batch_size=BATCH // 2
        )
    if kind == "hosts":
        _link_systems(records, [h for h in to_create if isinstance(h, Host)])
    updated = len(records) - len(to_create)
    return len(to_create), updated, unchanged, pending


def _claimed_rows(kind: str, unit_ids: set[int]) -> dict[tuple, dict]:
    """What the existing hosts/ranges of these units claim, by the import's natural key."""
    model, name_field = MODELS[kind], KEY_FIELDS[kind]
    names = {name_field, *claims.CLAIM_INPUT[kind]}
    rows = model._default_manager.filter(unit_id__in=unit_ids).values(*names)
    return {(row["unit_id"], _key_text(kind, row[name_field])): row for row in rows}


def _key_text(kind: str, name: str) -> str:
    return name if kind in ("ranges", "domains") else fold(name)


def _new(model, fields: dict[str, Any]):
    obj = model(**{k: v for k, v in fields.items() if k not in ("systems", "pk")})
    if isinstance(obj, IpRange):
        obj.set_range(obj.text)
    return obj


def _link_systems(records: list[Record], created: list[Host]) -> None:
    """Set each host's systems exactly as the file lists them (through-model rows in bulk)."""
    with_links = [r for r in records if "systems" in r.fields]
    if not with_links:
        return
    new_ids = {(h.unit_id, fold(h.hostname)): h.pk for h in created}
    through = Host.systems.through
    host_ids: list[int] = []
    links = []
    for record in with_links:
        pk = record.fields.get("pk") or new_ids[record.key]  # an existing host, or just made
        host_ids.append(pk)
        links += [through(host_id=pk, informationsystem_id=s) for s in record.fields["systems"]]
    for start in range(0, len(host_ids), BATCH):
        through.objects.filter(host_id__in=host_ids[start : start + BATCH]).delete()
    through.objects.bulk_create(links, batch_size=BATCH)


def _write_units(records: list[Record]) -> tuple[int, int, int]:
    # Units are few and their tree path is computed on save, so they are saved one by one,
    # in file order, so that a parent created on row 3 can be used on row 4.
    created = updated = unchanged = 0
    for record in records:
        fields = dict(record.fields)
        parent_code = fields.pop("parent_code", "")
        unit = Unit.objects.filter(code=fields["code"]).first() or Unit(code=fields["code"])
        is_new = unit.pk is None
        if parent_code:
            fields["parent"] = Unit.objects.get(code=parent_code)
        changed = [k for k, v in fields.items() if getattr(unit, k) != v]
        if not changed and not is_new:
            unchanged += 1
            updated += 1
            continue
        for key, value in fields.items():
            setattr(unit, key, value)
        unit.save()
        created, updated = (created + 1, updated) if is_new else (created, updated + 1)
    return created, updated, unchanged


# Rejected rows back to the user


def rejected_rows(path: str | Path, filename: str, checked: Checked) -> tuple[list, list[list]]:
    """The header and the rejected rows as read, each with its reasons in a last column."""
    reasons: dict[int, list[str]] = {}
    for error in checked.errors:
        reasons.setdefault(error.row, []).append(f"{error.column}: {error.reason}")
    table = spreadsheets.open_table(path, filename)
    width = len(table.header)
    rows = [
        [*_pad(cells, width), "; ".join(reasons[number])]
        for number, cells in table.rows
        if number in reasons
    ]
    return [*table.header, REASON_HEADER], rows


def _pad(cells: list[Any], width: int) -> list[Any]:
    return list(cells[:width]) + [None] * (width - len(cells))
