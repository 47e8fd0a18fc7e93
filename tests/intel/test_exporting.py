"""The clean-up exports: tasks as XLSX, the results report as DOCX, read back as a user would."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from citysoc.intel import cleanup
from citysoc.intel.models import CleanupTask
from tests import factories
from tests.intel.support import import_text

pytestmark = pytest.mark.django_db

LIST = "192.0.2.10\n192.0.2.11\n198.51.100.20\n"


@pytest.fixture
def version(unit_a, unit_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    factories.make_range(unit_a, "192.0.2.0/24")
    factories.make_host(unit_a, hostname="ketoan-01", ipv4="192.0.2.10")
    factories.make_range(unit_b, "198.51.100.0/24")
    version = import_text(LIST, source="VNCERT botnet", period="2024-01")[0]
    task = CleanupTask.objects.get(ip="192.0.2.10")
    cleanup.report_cleaned(task, user=None, tool="KVRT", findings="Mirai")
    CleanupTask.objects.filter(ip="198.51.100.20").update(
        due_date=timezone.localdate() - timezone.timedelta(days=1)
    )
    return version


def workbook(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def test_the_city_gets_every_units_tasks_and_a_summary(client_as, city_admin, version):
    book = workbook(client_as(city_admin).get(reverse("intel:task-export")))
    assert book.sheetnames == ["Tổng hợp", "Nhiệm vụ xử lý"]
    summary = rows(book["Tổng hợp"])
    assert summary[0][:4] == ("Đơn vị", "Mã đơn vị", "Đang mở", "Quá hạn")
    # Worst first: ward B has an overdue task.
    assert [(r[1], r[2], r[3], r[4]) for r in summary[1:]] == [
        ("ward-b", 1, 1, 0),
        ("ward-a", 1, 0, 1),
    ]
    tasks = rows(book["Nhiệm vụ xử lý"])
    assert [(r[1], r[2], r[3], r[7]) for r in tasks[1:]] == [
        ("ward-a", "192.0.2.10", "ketoan-01", "Đã xử lý, chờ xác minh"),
        ("ward-a", "192.0.2.11", None, "Chưa xử lý"),
        ("ward-b", "198.51.100.20", None, "Chưa xử lý"),
    ]
    assert tasks[3][9] == "x"  # overdue


def test_a_unit_exports_only_its_own_tasks(client_as, officer_a, version):
    book = workbook(client_as(officer_a).get(reverse("intel:task-export")))
    text = " ".join(str(c) for ws in book for r in rows(ws) for c in r if c)
    assert "ward-b" not in text
    assert "198.51.100.20" not in text
    assert "192.0.2.11" in text


def test_the_export_follows_the_lists_filters(client_as, city_admin, version):
    book = workbook(client_as(city_admin).get(reverse("intel:task-export"), {"status": "cleaned"}))
    assert [r[2] for r in rows(book["Nhiệm vụ xử lý"])[1:]] == ["192.0.2.10"]


def document(response) -> docx.Document:
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    return docx.Document(io.BytesIO(response.content))


def test_the_report_has_the_official_layout_summary_and_a_table_per_unit(
    client_as, city_admin, version, city
):
    doc = document(client_as(city_admin).get(reverse("intel:report-docx"), {"version": version.pk}))
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1]
    assert "Độc lập - Tự do - Hạnh phúc" in header[1]
    assert "ỦY BAN NHÂN DÂN THÀNH PHỐ TAM ĐIỆP" in header[0]
    assert "Số:" in header[0]
    assert "Tam Điệp, ngày" in header[1]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text
    assert "Kết quả xử lý địa chỉ IP botnet" in text
    assert "VNCERT botnet 2024-01, gồm 3 địa chỉ" in text
    assert "Số đơn vị có địa chỉ trong danh sách: 2" in text
    assert "đã giao 3 nhiệm vụ" in text
    assert "1 địa chỉ đã xử lý, chờ xác minh" in text
    assert "1 nhiệm vụ quá hạn" in text
    unit_tables = doc.tables[1:-1]
    assert len(unit_tables) == 2
    # Units come in tree order (by path); which fixture unit is first depends on their ids.
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in unit_tables]
    (first,) = [rows for rows in tables if any("192.0.2.10" in row for row in rows)]
    assert first[0] == [
        "TT",
        "Địa chỉ IP",
        "Máy",
        "Họ mã độc",
        "Trạng thái",
        "Ngày xử lý",
        "Xác minh",
    ]
    assert first[1][1:5] == ["192.0.2.10", "ketoan-01", "", "Đã xử lý, chờ xác minh"]
    assert first[1][5] == timezone.localdate().strftime("%d/%m/%Y")
    signature = doc.tables[-1].rows[0].cells
    assert "Nơi nhận:" in signature[0].text
    assert "GIÁM ĐỐC" in signature[1].text


def test_a_units_report_holds_only_its_own_table(client_as, officer_b, version):
    doc = document(client_as(officer_b).get(reverse("intel:report-docx")))
    text = "\n".join(
        [p.text for p in doc.paragraphs]
        + [c.text for t in doc.tables for row in t.rows for c in row.cells]
    )
    assert "198.51.100.20" in text
    assert "192.0.2." not in text
    assert "Phường Bắc Sơn" not in text
