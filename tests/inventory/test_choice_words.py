"""Choice columns take the ordinary words of a real file: "xã", "Sở", "nhà mạng", "commune"…"""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from citysoc.core.models import Person, Unit
from citysoc.inventory import columns, import_jobs, importing
from citysoc.inventory.models import Host, InformationSystem, IpRange
from citysoc.inventory.synonyms import SYNONYMS


def write_xlsx(path, header, rows):
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


PLAN_WORDS = [
    ("commune", Unit.Kind.WARD),
    ("xã", Unit.Kind.WARD),
    ("phường", Unit.Kind.WARD),
    ("thị trấn", Unit.Kind.WARD),
    ("Sở", Unit.Kind.DEPARTMENT),
    ("Phòng", Unit.Kind.DEPARTMENT),
    ("trường", Unit.Kind.SCHOOL),
    ("doanh nghiệp", Unit.Kind.ENTERPRISE),
    ("nhà mạng", Unit.Kind.ISP),
    # the same words typed without diacritics or in capitals
    ("XA", Unit.Kind.WARD),
    ("Thi Tran", Unit.Kind.WARD),
    ("TRƯỜNG", Unit.Kind.SCHOOL),
    ("nha mang", Unit.Kind.ISP),
]


def test_an_address_plan_in_ordinary_words_imports_every_row(tmp_path, city):
    rows = [
        [f"u-{n}", f"Đơn vị {n}", word, f"10.{n}.0.0/24"] for n, (word, _) in enumerate(PLAN_WORDS)
    ]
    path = write_xlsx(
        tmp_path / "plan.xlsx", ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Dải địa chỉ"], rows
    )

    summary = import_jobs.import_address_plan(path)

    assert summary["rejected"] == []
    assert summary["created_units"] == len(PLAN_WORDS)
    kinds = dict(Unit.objects.filter(code__startswith="u-").values_list("code", "kind"))
    assert kinds == {f"u-{n}": kind for n, (_, kind) in enumerate(PLAN_WORDS)}
    assert IpRange.objects.filter(unit__code__startswith="u-").count() == len(PLAN_WORDS)


def test_a_word_of_no_table_is_still_refused_with_the_allowed_labels(tmp_path, city):
    path = write_xlsx(
        tmp_path / "plan.xlsx",
        ["Unit code", "Unit name", "Unit kind", "CIDR"],
        [["u-1", "Thôn 1", "thôn", "10.1.0.0/24"]],
    )
    summary = import_jobs.import_address_plan(path)
    assert summary["created_units"] == 0
    assert "'thôn'" in summary["rejected"][0]["reason"]
    assert "Phường / xã" in summary["rejected"][0]["reason"]


def test_host_and_system_sheets_take_ordinary_words(tmp_path, officer_a, unit_a):
    systems = write_xlsx(
        tmp_path / "systems.xlsx",
        ["Mã đơn vị", "Tên hệ thống", "Loại hệ thống", "Phân loại chi tiết", "Cấp độ"]
        + ["Trạng thái hồ sơ", "Loại thông tin xử lý"],
        [
            ["ward-a", "Cổng phường", "người dân", "website", "Cấp độ 2", "đã gửi", "công khai"],
            ["ward-a", "Mạng nội bộ", "Ha tang", "LAN", "III", "du thao", "ca nhan; bi mat"],
        ],
    )
    checked = importing.check(systems, "systems", officer_a)
    assert checked.errors == []
    importing.write(checked)
    portal = InformationSystem.objects.get(name="Cổng phường")
    assert (portal.system_type, portal.subtype, portal.security_level) == ("citizen", "portal", 2)
    assert (portal.dossier_status, portal.info_classes) == ("submitted", ["public"])
    lan = InformationSystem.objects.get(name="Mạng nội bộ")
    assert (lan.system_type, lan.subtype, lan.security_level) == ("infrastructure", "network", 3)
    assert (lan.dossier_status, sorted(lan.info_classes)) == ("draft", ["personal", "state_secret"])

    hosts = write_xlsx(
        tmp_path / "hosts.xlsx",
        ["Mã đơn vị", "Tên máy", "Loại máy", "Mức độ quan trọng"],
        [
            ["ward-a", "fw-01", "Tường lửa", "rat quan trong"],
            ["ward-a", "pc-ketoan", "máy tính", "Bình thường"],
        ],
    )
    checked = importing.check(hosts, "hosts", officer_a)
    assert checked.errors == []
    importing.write(checked)
    assert dict(Host.objects.values_list("hostname", "kind")) == {
        "fw-01": Host.Kind.NETWORK,
        "pc-ketoan": Host.Kind.WORKSTATION,
    }
    assert dict(Host.objects.values_list("hostname", "criticality")) == {
        "fw-01": "critical",
        "pc-ketoan": "medium",
    }


def test_people_roles_take_ordinary_words(tmp_path, officer_a, unit_a):
    path = write_xlsx(
        tmp_path / "people.xlsx",
        ["Mã đơn vị", "Họ và tên", "Vai trò"],
        [["ward-a", "Trần Thị Bình", "chuyên viên"], ["ward-a", "Lê Văn Cường", "Dau moi"]],
    )
    checked = importing.check(path, "people", officer_a)
    assert checked.errors == []
    importing.write(checked)
    imported = Person.objects.filter(unit=unit_a, full_name__in=["Trần Thị Bình", "Lê Văn Cường"])
    assert dict(imported.values_list("full_name", "role")) == {
        "Trần Thị Bình": Person.Role.OPERATOR,
        "Lê Văn Cường": Person.Role.CONTACT,
    }


@pytest.mark.parametrize("cell", ["0", "6", "cấp độ 7", "ba"])
def test_a_security_level_out_of_range_or_unreadable_is_refused(tmp_path, officer_a, cell):
    path = write_xlsx(
        tmp_path / "s.xlsx",
        ["Mã đơn vị", "Tên hệ thống", "Loại hệ thống", "Cấp độ"],
        [["ward-a", "Hệ thống X", "nội bộ", cell]],
    )
    checked = importing.check(path, "systems", officer_a)
    assert [e.column for e in checked.errors] == ["Cấp độ"]


@pytest.mark.parametrize("field", sorted(SYNONYMS))
def test_every_word_of_a_table_means_one_value_of_its_field(field):
    lookup = columns.choice_lookup(field)  # raises AmbiguousWordError on a clash
    for value, words in SYNONYMS[field].items():
        assert {lookup[columns.fold(w)] for w in words} == {value}


def test_the_template_guide_lists_the_other_words(client_as, city_admin):
    response = client_as(city_admin).get(
        reverse("inventory:import-template", args=["address_plan"])
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book["Hướng dẫn"].iter_rows(values_only=True))
    assert rows[0][6] == "Cũng chấp nhận / Also accepted"
    kind_row = next(r for r in rows if r[0] == "Loại đơn vị")
    assert "Phường / xã: phường, xã, thị trấn" in kind_row[6]
    assert "commune" in kind_row[6] and "nhà mạng" in kind_row[6]
