"""Reading CSV encodings and importing each kind through `importing.check` / `write`."""

from __future__ import annotations

import openpyxl
import pytest

from citysoc.core.models import Person, Unit
from citysoc.inventory import importing
from citysoc.inventory.models import Domain, Host, InformationSystem, IpRange
from tests import factories


def run(path, kind, user, filename=""):
    checked = importing.check(path, kind, user, filename=filename)
    result = importing.write(checked)
    assert checked.total_rows == result.created + result.updated + result.rejected
    return checked, result


def write_xlsx(path, header, rows):
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("name", ["hosts_cp1258.csv", "hosts_utf8_bom.csv"])
def test_it_reads_vietnamese_csv_in_windows_1258_and_utf8_bom(fixture_path, officer_a, name):
    checked, result = run(fixture_path(f"import/{name}"), "hosts", officer_a)
    assert checked.errors == []
    assert result.created == 2
    host = Host.objects.get(hostname="may-tram-ke-toan")
    assert (host.kind, host.location) == (Host.Kind.WORKSTATION, "Phòng Kế toán")


def test_it_imports_units_with_a_parent_earlier_in_the_file(tmp_path, city_admin, city):
    path = write_xlsx(
        tmp_path / "u.xlsx",
        ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "parent"],
        [
            ["dept-ict", "Sở Thông tin", "Sở, ban, ngành", "city"],
            ["dept-ict-dc", "Trung tâm dữ liệu", "public_service", "dept-ict"],
        ],
    )
    _checked, result = run(path, "units", city_admin)
    assert result.created == 2
    assert Unit.objects.get(code="dept-ict-dc").parent.code == "dept-ict"


def test_a_ward_officer_cannot_create_a_unit_under_another_ward(tmp_path, officer_a, unit_b):
    path = write_xlsx(
        tmp_path / "u.xlsx",
        ["code", "name", "kind", "parent"],
        [
            ["school-b9", "Trường B9", "school", "ward-b"],
        ],
    )
    checked = importing.check(path, "units", officer_a)
    assert [(e.row, e.column) for e in checked.errors] == [(2, "parent")]


def test_it_imports_people_and_only_a_city_admin_gives_the_city_role(tmp_path, officer_a):
    path = write_xlsx(
        tmp_path / "p.xlsx",
        ["Mã đơn vị", "Họ và tên", "Vai trò"],
        [
            ["ward-a", "Trần Thị Bình", "Liên hệ (không đăng nhập)"],
            ["ward-a", "Lê Văn Cường", "city_admin"],
        ],
    )
    checked, result = run(path, "people", officer_a)
    assert [(e.row, e.column) for e in checked.errors] == [(3, "Vai trò")]
    assert result.created == 1
    assert Person.objects.get(full_name="Trần Thị Bình").role == Person.Role.CONTACT


def test_it_imports_systems_and_checks_an_approved_level(tmp_path, officer_a):
    header = [
        "Mã đơn vị",
        "Tên hệ thống",
        "Loại hệ thống",
        "Cấp độ",
        "Trạng thái hồ sơ",
        "Số quyết định",
        "Ngày quyết định",
        "Loại thông tin xử lý",
    ]
    path = write_xlsx(
        tmp_path / "s.xlsx",
        header,
        [
            [
                "ward-a",
                "Một cửa",
                "citizen",
                2,
                "Đã phê duyệt",
                "12/QĐ-UBND",
                "05/03/2024",
                "personal; Thông tin công cộng",
            ],
            ["ward-a", "Thư điện tử", "internal", 7, "", "", "", ""],
            ["ward-a", "Quản lý văn bản", "internal", 2, "approved", "", "", ""],
        ],
    )
    checked, result = run(path, "systems", officer_a)
    assert [(e.row, e.column) for e in checked.errors] == [(3, "Cấp độ"), (4, "Trạng thái hồ sơ")]
    system = InformationSystem.objects.get()
    assert system.level_approved
    assert system.decision_date.isoformat() == "2024-03-05"
    assert system.info_classes == ["personal", "public"]


def test_it_imports_ranges_with_their_provider(tmp_path, officer_a, isp):
    path = write_xlsx(
        tmp_path / "r.xlsx",
        ["unit", "CIDR", "Phạm vi", "Nhà cung cấp", "NAT"],
        [
            ["ward-a", "203.0.113.0/28", "Công khai", "VNPT Ninh Bình", "có"],
            ["ward-a", "203.0.113.5/28", "", "", ""],
        ],
    )
    checked, result = run(path, "ranges", officer_a)
    assert [(e.row, e.column) for e in checked.errors] == [(3, "CIDR")]
    assert "did you mean 203.0.113.0/28" in checked.errors[0].reason
    r = IpRange.objects.get()
    assert (r.provider, r.nat_egress, r.last_key[-2:]) == (isp, True, "0f")


def test_it_imports_domains_normalised(tmp_path, officer_a, unit_a):
    factories.make_system(unit_a, name="Cổng thông tin")
    path = write_xlsx(
        tmp_path / "d.xlsx",
        ["Mã đơn vị", "Tên miền", "Hệ thống thông tin"],
        [
            ["ward-a", "BacSon.Example.gov.VN.", "cổng thông tin"],
            ["ward-a", "not a domain", ""],
        ],
    )
    checked, result = run(path, "domains", officer_a)
    assert [(e.row, e.column) for e in checked.errors] == [(3, "Tên miền")]
    domain = Domain.objects.get()
    assert (domain.name, domain.system.name) == ("bacson.example.gov.vn", "Cổng thông tin")
