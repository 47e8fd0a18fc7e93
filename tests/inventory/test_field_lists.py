"""An information system's fields are declared once (`system_fields`): the edit form, the
REST serializer and the spreadsheet import and export all offer exactly those fields, and a
model field nobody declared makes this file fail."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import translation

from citysoc.inventory import asset_fields, exporting, importing, system_fields
from citysoc.inventory.forms import DomainForm, HostForm, RangeForm, SystemForm
from citysoc.inventory.import_kinds import KINDS, markdown_table
from citysoc.inventory.models import InformationSystem, SecurityRegime
from citysoc.inventory.serializers import (
    DomainSerializer,
    HostSerializer,
    InformationSystemSerializer,
    IpRangeSerializer,
)

DECLARED = list(system_fields.FIELD_NAMES)


def _own_fields(model) -> set[str]:
    return {f.name for f in [*model._meta.concrete_fields, *model._meta.local_many_to_many]}


def test_every_model_field_of_a_system_is_declared_or_set_by_the_database():
    declared = set(DECLARED)
    excluded = set(system_fields.SET_BY_DATABASE)

    assert declared.isdisjoint(excluded)
    assert _own_fields(InformationSystem) - declared - excluded == set(), (
        "add the new field to system_fields.SYSTEM_FIELDS (or to SET_BY_DATABASE with why)"
    )
    assert declared | excluded <= _own_fields(InformationSystem)


def _writable(serializer_class) -> list[str]:
    fields = serializer_class().fields
    return [name for name, field in fields.items() if not field.read_only]


def test_the_form_the_api_and_the_files_offer_exactly_the_declared_fields(officer_a):
    assert list(SystemForm(user=officer_a).fields) == DECLARED
    assert _writable(InformationSystemSerializer) == DECLARED
    assert [c.key for c in KINDS["systems"]] == DECLARED
    assert exporting.headers("systems") == [c.header for c in system_fields.SYSTEM_FIELDS]
    _sheet, guide = exporting.guide("systems")
    assert [line[0] for line in guide[1:]] == exporting.headers("systems")


@pytest.mark.parametrize(
    ("columns", "form", "serializer"),
    [
        (asset_fields.HOST_FIELDS, HostForm, HostSerializer),
        (asset_fields.RANGE_FIELDS, RangeForm, IpRangeSerializer),
        (asset_fields.DOMAIN_FIELDS, DomainForm, DomainSerializer),
    ],
    ids=["hosts", "ranges", "domains"],
)
def test_hosts_ranges_and_domains_offer_their_declared_fields(officer_a, columns, form, serializer):
    declared = [c.key for c in columns]
    assert list(form(user=officer_a).fields) == declared
    assert _writable(serializer) == declared
    assert set(declared) <= _own_fields(form._meta.model)


def test_every_declared_field_goes_out_to_a_file_and_back(officer_a, unit_a, tmp_path):
    """A system with every field filled, exported, deleted and imported again, comes back
    with every declared value: no field is left out by the export or the import."""
    regime = SecurityRegime.objects.order_by("code").first()
    assert regime is not None  # the regimes are data shipped with the migrations
    values = {
        "name": "Hệ thống quản lý văn bản",
        "owner_body": "UBND phường Bắc Sơn",
        "system_type": InformationSystem.Type.CITIZEN,
        "subtype": InformationSystem.Subtype.DOCUMENT_MGMT,
        "info_classes": ["personal", "private"],
        "user_count": 120,
        "security_level": 3,
        "regime": regime,
        "dossier_status": InformationSystem.Dossier.APPROVED,
        "decision_number": "12/QĐ-UBND",
        "decision_date": dt.date(2025, 3, 14),
        "approver": "Chủ tịch UBND phường",
        "description": "Văn bản đi, đến và hồ sơ công việc.",
    }
    assert set(values) | {"unit"} == set(DECLARED)  # this test fills every declared field
    InformationSystem.objects.create(unit=unit_a, **values)
    path = tmp_path / "systems.xlsx"
    exporting.export_xlsx(str(path), "systems", officer_a)
    InformationSystem.objects.all().delete()

    checked = importing.check(path, "systems", officer_a)
    result = importing.write(checked)

    assert checked.errors == []
    assert result.created == 1
    system = InformationSystem.objects.get()
    assert system.unit == unit_a
    assert {name: getattr(system, name) for name in values} == values


def test_the_column_tables_of_the_import_guide_are_the_declared_ones():
    """docs/import.md shows each kind's columns as `import_kinds.markdown_table` makes them;
    regenerate the table when a declaration changes."""
    guide = (Path(__file__).parents[2] / "docs" / "import.md").read_text(encoding="utf-8")
    with translation.override("en"):
        stale = [kind for kind in KINDS if markdown_table(kind) not in guide]
    assert stale == []
