"""Exports: only visible rows, the template's headers, and a round trip that changes nothing."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from citysoc.core.models import Unit
from citysoc.inventory import exporting, importing
from citysoc.inventory.models import Domain, Host, InformationSystem, IpRange
from tests import factories


@pytest.fixture
def ward_a_inventory(unit_a, isp):
    system = factories.make_system(
        unit_a, name="Một cửa điện tử", level=3, info_classes=["personal", "public"]
    )
    owner = factories.make_user("owner_a", unit=unit_a, role="operator").memberships.get()
    host = factories.make_host(
        unit_a, hostname="srv-01", ipv4="203.0.113.10", kind=Host.Kind.SERVER, owner=owner
    )
    host.systems.add(system)
    factories.make_host(unit_a, hostname="=cmd|' /C calc'!A0")
    factories.make_range(unit_a, "203.0.113.0/28", provider=isp, nat_egress=True)
    factories.make_domain(unit_a, "motcua.example.gov.vn", system=system)
    return system


def snapshot():
    return {
        "hosts": sorted(
            Host.objects.values_list(
                "unit_id", "hostname", "kind", "ipv4", "owner_id", "criticality", "updated_at"
            )
        ),
        "links": sorted(
            Host.systems.through.objects.values_list("host_id", "informationsystem_id")
        ),
        "systems": sorted(
            InformationSystem.objects.values_list("name", "info_classes", "updated_at")
        ),
        "ranges": sorted(IpRange.objects.values_list("text", "provider_id", "nat_egress")),
        "domains": sorted(Domain.objects.values_list("name", "system_id", "updated_at")),
        "units": sorted(Unit.objects.values_list("code", "name", "parent_id", "updated_at")),
    }


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("kind", ["units", "systems", "hosts", "ranges", "domains", "people"])
def test_export_then_import_changes_nothing(
    client_as, officer_a, ward_a_inventory, tmp_path, kind, fmt
):
    before = snapshot()
    response = client_as(officer_a).get(reverse("inventory:export"), {"kind": kind, "format": fmt})
    path = tmp_path / f"{kind}.{fmt}"
    path.write_bytes(b"".join(response.streaming_content))

    checked = importing.check(path, kind, officer_a)
    result = importing.write(checked)

    assert checked.errors == []
    assert result.created == 0
    assert result.updated == result.unchanged == checked.total_rows > 0
    assert snapshot() == before


def test_the_csv_export_has_a_bom_and_only_the_users_rows(
    client_as, officer_b, ward_a_inventory, unit_b
):
    factories.make_host(unit_b, hostname="pc-b1")
    response = client_as(officer_b).get(
        reverse("inventory:export"), {"kind": "hosts", "format": "csv"}
    )
    text = b"".join(response.streaming_content)
    assert text.startswith(b"\xef\xbb\xbf")
    lines = text.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:2] == ["Mã đơn vị", "Tên máy"]
    assert [line.split(",")[1] for line in lines[1:]] == ["pc-b1"]


def test_an_exported_cell_never_becomes_a_formula(officer_a, ward_a_inventory, tmp_path):
    path = tmp_path / "hosts.xlsx"
    exporting.export_xlsx(str(path), "hosts", officer_a)
    cells = [row[1] for row in openpyxl.load_workbook(path).active.iter_rows()]
    # The apostrophe marks it as text (and the importer removes it on the way back).
    evil = next(c for c in cells if c.value == "'=cmd|' /C calc'!A0")
    assert evil.data_type == "s"


def test_the_template_has_vietnamese_headers_and_a_guide(client_as, officer_a):
    response = client_as(officer_a).get(reverse("inventory:import-template", args=["hosts"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["hosts", "Hướng dẫn"]
    header = next(book["hosts"].iter_rows(values_only=True))
    assert header[:3] == ("Mã đơn vị", "Tên máy", "Loại máy")
    guide = {row[0]: row for row in book["Hướng dẫn"].iter_rows(values_only=True)}
    assert "Máy chủ (server)" in guide["Loại máy"][4]
