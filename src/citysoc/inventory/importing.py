"""Spreadsheet import: read every row, validate everything, then write in one transaction.

`check()` reads a file into plain records and collects every error as (sheet, row as
Excel shows it, column header, reason); it writes nothing. `write()` upserts the valid
records on their natural key (see `columns.NATURAL_KEYS`) with bulk statements in
batches. A file with errors is saved only when the user asks for the valid rows only;
the rejected rows then come back as a file with a "Lỗi" column.

Records in = created + updated + rejected, always ("updated" counts rows matched on their
natural key, `unchanged` says how many of those already held the same values).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core import audit
from citysoc.core.models import Person, Unit
from citysoc.core.public_errors import without_server_paths
from citysoc.core.tenancy import can_edit, can_manage, scope_for
from citysoc.inventory import claims, import_errors, spreadsheets
from citysoc.inventory.columns import NATURAL_KEYS, CellError, Mapping, fold, map_header
from citysoc.inventory.models import (
    Domain,
    Host,
    ImportJob,
    InformationSystem,
    IpRange,
    SecurityRegime,
)
from citysoc.lib import iprange
from citysoc.lib.domains import DomainError, normalize_domain

logger = logging.getLogger(__name__)

BATCH = 1000
PROGRESS_EVERY = 2000
REASON_HEADER = "Lỗi"
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RowError:
    """One problem, placed where the user will find it in Excel."""

    sheet: str
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class Record:
    row: int
    values: dict[str, Any]
    fields: dict[str, Any] = field(default_factory=dict)  # model fields after resolution
    key: tuple = ()


@dataclass
class Checked:
    """The outcome of reading and validating a file; nothing has been written."""

    kind: str
    filename: str
    sheet: str
    header: list[Any]
    header_row: int
    mapping: Mapping
    records: list[Record] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0
    user: Any = None  # who imports: hosts and ranges are judged as their claims (`claims`)

    @property
    def rejected_rows(self) -> set[int]:
        return {e.row for e in self.errors if e.row > self.header_row}

    @property
    def file_errors(self) -> list[RowError]:
        """Errors about the file as a whole (header): nothing can be imported."""
        return [e for e in self.errors if e.row <= self.header_row]

    @property
    def valid(self) -> list[Record]:
        bad = self.rejected_rows
        return [r for r in self.records if r.row not in bad]

    def header_of(self, key: str) -> str:
        for index, col in self.mapping.by_index.items():
            if col.key == key:
                return str(self.header[index])
        return key

    def fail(self, record: Record, key: str, reason: str) -> None:
        self.errors.append(RowError(self.sheet, record.row, self.header_of(key), str(reason)))


@dataclass(frozen=True)
class Result:
    created: int = 0
    updated: int = 0
    rejected: int = 0
    unchanged: int = 0
    created_units: int = 0  # address plans only
    pending: int = 0  # hosts/ranges left waiting for a city role's approval


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


# Resolving references (units, owners, systems, providers) with a few bulk queries


def _units_for(checked: Checked, user, key: str = "unit", manage: bool = False) -> dict[str, Unit]:
    """Look up the unit codes of every row; reject rows naming a unit the user cannot change."""
    codes = {r.values.get(key) for r in checked.records if r.values.get(key)}
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    allowed = can_manage if manage else can_edit
    usable: dict[str, Unit] = {}
    for record in checked.records:
        code = record.values.get(key)
        if not code:
            continue
        unit = units.get(code)
        if unit is None:
            checked.fail(
                record,
                key,
                _("No unit has the code '%s'; check the code on the Units page.") % code,
            )
        elif not allowed(user, unit):
            checked.fail(
                record,
                key,
                _(
                    "Unit '%s' is outside the units you may change; remove this row or ask "
                    "that unit's officer to import it."
                )
                % code,
            )
        else:
            usable[code] = unit
    return usable


def _by_unit_and_name(queryset, unit_ids: Iterable[int], name_field: str) -> dict[tuple, int]:
    rows = queryset.filter(unit_id__in=set(unit_ids)).values_list("unit_id", name_field, "pk")
    return {(unit_id, fold(name)): pk for unit_id, name, pk in rows}


def _isps() -> dict[str, int]:
    table: dict[str, int] = {}
    for pk, code, name in Unit.objects.filter(kind=Unit.Kind.ISP).values_list("pk", "code", "name"):
        table[fold(name)] = pk
        table[fold(code)] = pk
    return table


def _resolve_common(checked: Checked, user, name_key: str) -> dict[str, Unit]:
    units = _units_for(checked, user)
    for record in checked.records:
        unit = units.get(record.values.get("unit"))
        if unit is not None:
            record.fields["unit_id"] = unit.pk
            record.key = (unit.pk, fold(record.values.get(name_key, "")))
    return units


def _copy(record: Record, *names: str) -> None:
    for name in names:
        if name in record.values:
            record.fields[name] = record.values[name]


def resolve_hosts(checked: Checked, user) -> None:
    units = _resolve_common(checked, user, "hostname")
    unit_ids = [u.pk for u in units.values()]
    owners = _by_unit_and_name(Person.objects, unit_ids, "full_name")
    systems = _by_unit_and_name(InformationSystem.objects, unit_ids, "name")
    for record in checked.records:
        v = record.values
        _copy(record, "hostname", "os", "mac", "location")
        for key, default in (("kind", Host.Kind.WORKSTATION), ("criticality", "medium")):
            if key in v:
                record.fields[key] = v[key] or default
        _check_address(checked, record, "ipv4", 4)
        _check_address(checked, record, "ipv6", 6)
        unit_id = record.fields.get("unit_id")
        if "owner" in v:
            record.fields["owner_id"] = None
            if v["owner"]:
                record.fields["owner_id"] = owners.get((unit_id, fold(v["owner"])))
                if record.fields["owner_id"] is None and unit_id:
                    checked.fail(
                        record,
                        "owner",
                        _("No person named '%s' in this unit; add them under People first.")
                        % v["owner"],
                    )
        if "systems" in v:
            record.fields["systems"] = _system_ids(checked, record, systems, unit_id)


def _system_ids(checked: Checked, record: Record, systems: dict, unit_id) -> list[int]:
    ids = []
    for name in (n.strip() for n in record.values["systems"].split(";")):
        if not name:
            continue
        pk = systems.get((unit_id, fold(name)))
        if pk is None and unit_id:
            checked.fail(
                record, "systems", _("No information system named '%s' in this unit.") % name
            )
        elif pk is not None:
            ids.append(pk)
    return sorted(set(ids))


def _check_address(checked: Checked, record: Record, key: str, version: int) -> None:
    if key not in record.values:
        return
    text = record.values[key]
    record.fields[key] = text or None
    if not text:
        return
    try:
        found, _value = iprange.parse_address(text)
    except iprange.RangeError:
        found = 0
    if found != version:
        checked.fail(
            record, key, _("'%(a)s' is not an IPv%(v)d address.") % {"a": text, "v": version}
        )


def resolve_systems(checked: Checked, user) -> None:
    _resolve_common(checked, user, "name")
    regimes = dict(SecurityRegime.objects.values_list("code", "pk"))
    for record in checked.records:
        v = record.values
        _copy(
            record,
            "name",
            "owner_body",
            "system_type",
            "subtype",
            "info_classes",
            "user_count",
            "security_level",
            "decision_number",
            "decision_date",
            "approver",
            "description",
        )
        if "dossier_status" in v:
            record.fields["dossier_status"] = v["dossier_status"] or "none"
        level = v.get("security_level")
        if level is not None and not 1 <= level <= 5:
            checked.fail(record, "security_level", _("The level must be 1 to 5, not %d.") % level)
        if v.get("regime"):
            record.fields["regime_id"] = regimes.get(v["regime"])
            if record.fields["regime_id"] is None:
                checked.fail(
                    record,
                    "regime",
                    _("Unknown regulation code '%(c)s'; use one of: %(all)s.")
                    % {"c": v["regime"], "all": ", ".join(regimes)},
                )
        elif "regime" in v:
            record.fields["regime_id"] = None
        if v.get("dossier_status") == "approved" and not (
            level and v.get("decision_number") and v.get("decision_date")
        ):
            checked.fail(
                record,
                "dossier_status",
                _("An approved level needs the level, the decision number and its date."),
            )


def resolve_ranges(checked: Checked, user) -> None:
    _resolve_common(checked, user, "text")
    isps = _isps()
    for record in checked.records:
        v = record.values
        _copy(record, "nat_egress", "note")
        if "scope" in v:
            record.fields["scope"] = v["scope"] or IpRange.Scope.PUBLIC
        if v.get("text"):
            try:
                parsed = iprange.parse_range(v["text"])
            except iprange.RangeError as exc:
                checked.fail(record, "text", str(exc))
            else:
                record.fields["text"] = iprange.format_range(parsed)
                if record.key:
                    record.key = (record.key[0], record.fields["text"])
        if "provider" in v:
            record.fields["provider_id"] = isps.get(fold(v["provider"])) if v["provider"] else None
            if v["provider"] and record.fields["provider_id"] is None:
                checked.fail(
                    record, "provider", _("No ISP unit has the code or name '%s'.") % v["provider"]
                )


def resolve_domains(checked: Checked, user) -> None:
    units = _resolve_common(checked, user, "name")
    systems = _by_unit_and_name(InformationSystem.objects, [u.pk for u in units.values()], "name")
    for record in checked.records:
        v = record.values
        _copy(record, "url", "note")
        if v.get("name"):
            try:
                record.fields["name"] = normalize_domain(v["name"])
            except DomainError as exc:
                checked.fail(record, "name", str(exc))
            else:
                if record.key:
                    record.key = (record.key[0], record.fields["name"])
        if "system" in v:
            unit_id = record.fields.get("unit_id")
            record.fields["system_id"] = systems.get((unit_id, fold(v["system"])))
            if v["system"] and record.fields["system_id"] is None and unit_id:
                checked.fail(
                    record,
                    "system",
                    _("No information system named '%s' in this unit.") % v["system"],
                )


def resolve_people(checked: Checked, user) -> None:
    # Roles grant access once a login is linked, so people need manage rights, not edit.
    units = _units_for(checked, user, manage=True)
    city = scope_for(user).is_city
    for record in checked.records:
        unit = units.get(record.values.get("unit"))
        if unit is not None:
            record.fields["unit_id"] = unit.pk
            record.key = (unit.pk, fold(record.values.get("full_name", "")))
        _copy(record, "full_name", "title", "email", "phone")
        if "role" in record.values:
            record.fields["role"] = record.values["role"] or Person.Role.CONTACT
            if record.fields["role"] == Person.Role.CITY_ADMIN and not city:
                checked.fail(record, "role", _("Only a city administrator may give this role."))


def resolve_units(checked: Checked, user) -> None:
    values = [r.values for r in checked.records]
    codes = {v.get("code") for v in values} | {v.get("parent") for v in values}
    known = {
        u.code: u for u in Unit.objects.filter(code__in=codes - {None, ""}).select_related("parent")
    }
    in_file: set[str] = set()
    for record in checked.records:
        code = record.values.get("code", "")
        record.key = (code,)
        _copy(record, *(k for k in record.values if k not in ("code", "parent")))
        record.fields["code"] = code
        record.fields["parent_code"] = record.values.get("parent", "")
        existing = known.get(code)
        if existing is not None and not can_manage(user, existing):
            checked.fail(record, "code", _("Unit '%s' is outside the units you may manage.") % code)
        _check_parent(checked, record, user, known, in_file)
        if not checked.errors or checked.errors[-1].row != record.row:
            in_file.add(code)


def _check_parent(checked: Checked, record: Record, user, known: dict, in_file: set) -> None:
    existing = known.get(record.fields["code"])
    parent_code = record.fields["parent_code"]
    if existing is not None and parent_code == (existing.parent.code if existing.parent else ""):
        return  # the unit stays where it is: nothing to check
    parent = known.get(parent_code)
    if parent_code and parent is None and parent_code not in in_file:
        reason = _("No unit has the code '%s' (a parent may also be a row above this one).")
        checked.fail(record, "parent", reason % parent_code)
    elif parent is not None and not can_manage(user, parent):
        reason = _("Unit '%s' is outside the units you may manage.")
        checked.fail(record, "parent", reason % parent_code)
    elif not parent_code and existing is None and not scope_for(user).everything:
        checked.fail(record, "parent", _("A new unit needs the code of its parent unit."))


def resolve_address_plan(checked: Checked, user) -> None:
    from citysoc.inventory import address_plan

    address_plan.resolve(checked, user)


RESOLVERS: dict[str, Callable[[Checked, Any], None]] = {
    "units": resolve_units,
    "people": resolve_people,
    "systems": resolve_systems,
    "hosts": resolve_hosts,
    "ranges": resolve_ranges,
    "domains": resolve_domains,
    "address_plan": resolve_address_plan,
}
MODELS = {
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
    existing = {}
    for row in model.objects.filter(unit_id__in=unit_ids).values("pk", "unit_id", *fields):
        existing[(row["unit_id"], _key_text(kind, row[name_field]))] = row
    now = timezone.now()
    to_create, to_update, unchanged = [], [], 0
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
    model.objects.bulk_create(to_create, batch_size=BATCH)
    if to_update:
        model.objects.bulk_update(to_update, [*fields, "updated_at"], batch_size=BATCH // 2)
    if kind == "hosts":
        _link_systems(records, to_create)
    updated = len(records) - len(to_create)
    return len(to_create), updated, unchanged, pending


def _claimed_rows(kind: str, unit_ids: set[int]) -> dict[tuple, dict]:
    """What the existing hosts/ranges of these units claim, by the import's natural key."""
    model, name_field = MODELS[kind], KEY_FIELDS[kind]
    names = {name_field, *claims.CLAIM_INPUT[kind]}
    rows = model.objects.filter(unit_id__in=unit_ids).values(*names)
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
    host_ids = []
    links = []
    for record in with_links:
        pk = record.fields.get("pk") or new_ids.get(record.key)
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


# Import jobs: the web flow's two background steps (check, then import)


def home_unit(user) -> Unit | None:
    """The unit an import job is filed under: the user's outermost unit, or the root."""
    scope = scope_for(user)
    paths = scope.edit_paths or scope.view_paths
    if scope.everything or not paths:
        return Unit.objects.filter(parent__isnull=True).order_by("path").first()
    return Unit.objects.filter(path__in=paths).order_by("path").first()


def _progress_of(job_id: int) -> Progress:
    # Each update is its own short autocommit transaction, outside the write transaction,
    # so other connections (the progress page) see it and SQLite's write lock is not held.
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed_rows=done, total_rows=total)

    return report


def _check_job(job: ImportJob) -> Checked | None:
    try:
        checked = check(
            job.file.path, job.kind, job.user, filename=job.filename, progress=_progress_of(job.pk)
        )
    except spreadsheets.SpreadsheetError as exc:
        _finish(job, ImportJob.Status.FAILED, str(exc))
        return None
    job.errors = import_errors.capped([e.as_dict() for e in checked.errors])
    job.total_rows = job.processed_rows = checked.total_rows
    job.rejected_count = len(checked.rejected_rows)
    return checked


def _finish(job: ImportJob, status: str, message: str = "") -> None:
    job.status = status
    job.message = without_server_paths(message)
    job.finished_at = timezone.now() if status in ("done", "failed") else None
    job.save()


def check_job(job_id: int) -> dict[str, Any]:
    """Validate an uploaded job's file and store its errors for the preview page."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    job.status, job.message = ImportJob.Status.RUNNING, "checking"
    job.save(update_fields=["status", "message"])
    checked = _check_job(job)
    if checked is not None:
        status = ImportJob.Status.FAILED if checked.file_errors else ImportJob.Status.VALIDATED
        _finish(job, status, _("The file's header is not usable.") if checked.file_errors else "")
    return {"status": job.status, "rows": job.total_rows, "rejected": job.rejected_count}


def run_job(job_id: int) -> dict[str, Any]:
    """Check the file again (the database may have changed since the preview), then write."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    job.status, job.message, job.processed_rows = ImportJob.Status.RUNNING, "checking", 0
    job.save(update_fields=["status", "message", "processed_rows"])
    checked = _check_job(job)
    if checked is None:
        return {"status": job.status}
    if checked.file_errors or (checked.errors and not job.valid_only):
        _finish(
            job,
            ImportJob.Status.FAILED,
            _(
                "Nothing was saved: the file has errors. Correct them, or choose to import the "
                "valid rows only."
            ),
        )
        return {"status": job.status}
    ImportJob.objects.filter(pk=job.pk).update(message="writing")
    try:
        with audit.acting_as(job.user, via="task"), transaction.atomic():
            result = write(checked)
            audit_import(job.kind, job.filename, result, job.unit_id)
    except Exception as exc:
        # The transaction is rolled back, so nothing was saved; say so instead of leaving
        # the job "running" for ever.
        logger.exception("import job %s failed while writing", job.pk)
        _finish(
            job,
            ImportJob.Status.FAILED,
            _("Nothing was saved: writing failed (%s). Tell the administrator.") % exc,
        )
        return {"status": job.status}
    if checked.errors:
        _save_rejected(job, checked)
    job.created_count, job.updated_count = result.created, result.updated
    job.rejected_count = result.rejected
    message = _("%(c)d created, %(u)d updated (%(same)d already up to date), %(r)d rejected.") % {
        "c": result.created,
        "u": result.updated,
        "same": result.unchanged,
        "r": result.rejected,
    }
    if result.pending:
        message += " " + _(
            "%(n)d addresses wait for a city role's approval (they overlap another unit's "
            "registered space or are wider than the city allows); they are not used until then."
        ) % {"n": result.pending}
    _finish(job, ImportJob.Status.DONE, message)
    return {
        "status": job.status,
        "created": result.created,
        "updated": result.updated,
        "rejected": result.rejected,
    }


def _save_rejected(job: ImportJob, checked: Checked) -> None:
    import io

    from django.core.files.base import ContentFile

    header, rows = rejected_rows(job.file.path, job.filename, checked)
    out = io.BytesIO()
    fmt = spreadsheets.file_format(job.filename)
    if fmt == "xlsx":
        spreadsheets.write_xlsx(out, checked.sheet, [str(h or "") for h in header], rows)
    else:
        spreadsheets.write_csv(out, [str(h or "") for h in header], rows)
    stem = Path(job.filename).stem
    job.rejected_file.save(f"{stem}-rejected.{fmt}", ContentFile(out.getvalue()), save=False)
