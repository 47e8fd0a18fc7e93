"""Resolving an import's references (units, owners, systems, providers) with a few bulk queries.

Each `resolve_<kind>` turns the names and codes of a checked file into ids, or an error on
the row; `RESOLVERS` maps an import kind to its resolver.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, cast

from django.db.models import Field, Model
from django.utils.translation import gettext as _

from citysoc.core.models import Person, Unit
from citysoc.core.tenancy import can_edit, can_manage, scope_for
from citysoc.inventory.asset_fields import DOMAIN_FIELDS, HOST_FIELDS, RANGE_FIELDS
from citysoc.inventory.columns import Column, fold
from citysoc.inventory.import_records import Checked, Record
from citysoc.inventory.models import (
    Domain,
    Host,
    InformationSystem,
    IpRange,
    SecurityRegime,
)
from citysoc.inventory.system_fields import SYSTEM_FIELDS
from citysoc.lib import iprange
from citysoc.lib.domains import DomainError, normalize_domain

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
        unit = units.get(record.values.get("unit", ""))
        if unit is not None:
            record.fields["unit_id"] = unit.pk
            record.key = (unit.pk, fold(record.values.get(name_key, "")))
    return units


def _copy(record: Record, *names: str) -> None:
    for name in names:
        if name in record.values:
            record.fields[name] = record.values[name]


def _copy_declared(record: Record, columns: tuple[Column, ...], model: type[Model]) -> None:
    """Copy the cells that are the model's own values (not references, resolved by the
    caller); an empty choice cell takes the model's default ("none", "workstation")."""
    for col in columns:
        if col.related_by or col.key not in record.values:
            continue
        value = record.values[col.key]
        if col.kind == "choice" and value == "":
            value = cast(Field, model._meta.get_field(col.key)).get_default()
        record.fields[col.key] = value


def resolve_hosts(checked: Checked, user) -> None:
    units = _resolve_common(checked, user, "hostname")
    unit_ids = [u.pk for u in units.values()]
    owners = _by_unit_and_name(Person.objects, unit_ids, "full_name")
    systems = _by_unit_and_name(InformationSystem.objects, unit_ids, "name")
    for record in checked.records:
        v = record.values
        _copy_declared(record, HOST_FIELDS, Host)
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
        _copy_declared(record, SYSTEM_FIELDS, InformationSystem)
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
        _copy_declared(record, RANGE_FIELDS, IpRange)
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
        _copy_declared(record, DOMAIN_FIELDS, Domain)
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
        unit = units.get(record.values.get("unit", ""))
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
