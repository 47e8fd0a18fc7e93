"""The unit's gap report (DOCX, Decree 30 layout) and the city workbook, read back."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from django.utils import timezone

from citysoc.compliance import exporting
from citysoc.compliance.models import Assessment
from citysoc.inventory.models import InformationSystem
from tests import factories
from tests.compliance.test_overview import MET, NA, NOT_MET, PARTLY, approved, assess, make_library

DUE = dt.date(2027, 3, 31)


@pytest.fixture
def library(db):
    return make_library()


@pytest.fixture
def ward_a(library, unit_a, sub_unit_a, unit_b):
    """Ward A: an assessed system with three gaps, one with none, one never assessed, and a
    school's system under the ward; ward B: a system with a gap that must not show."""
    done = timezone.localdate() - dt.timedelta(days=10)
    portal = approved(unit_a, "Cổng thông tin phường")
    assess(
        portal,
        library,
        {"1.1": MET, "1.2": PARTLY, "2.1": NOT_MET, "2.2": NA},
        completed=done,
        owner="Tổ CNTT phường",
        due=DUE,
    )
    mail = approved(unit_a, "Thư điện tử")
    assess(mail, library, {"1.1": MET, "1.2": MET, "2.1": MET, "2.2": MET}, completed=done)
    factories.make_system(unit_a, name="Phần mềm kế toán", level=2)
    school = approved(sub_unit_a, "Website trường A1")
    assess(school, library, {"1.1": NOT_MET})  # in progress: its gap counts too
    other = approved(unit_b, "Cổng thông tin phường B")
    assess(other, library, {"1.1": NOT_MET}, completed=done)
    return unit_a


def _report(unit, city=None) -> docx.Document:
    data = exporting.gap_report_docx(
        unit,
        InformationSystem.objects.filter(unit__path__startswith=unit.path),
        Assessment.objects.all(),
        today=dt.date(2027, 4, 2),
        city=city,
    )
    return docx.Document(io.BytesIO(data))


def _gap_tables(document) -> list[list[list[str]]]:
    """The gap tables (header row "TT | Mục | …"), as rows of cell texts without the header."""
    tables = []
    for table in document.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows and rows[0] == exporting.REPORT_COLUMNS:
            tables.append(rows[1:])
    return tables


def test_the_gap_report_lists_exactly_the_partly_and_not_met_items(ward_a, city):
    document = _report(ward_a, city)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text
    assert "Kết quả rà soát, đánh giá an toàn hệ thống thông tin theo cấp độ" in text
    portal, school = _gap_tables(document)
    assert portal == [
        ["1", "1.2", "Yêu cầu 1.2", "Một phần", "Tổ CNTT phường", "31/03/2027"],
        ["2", "2.1", "Yêu cầu 2.1", "Chưa đạt", "Tổ CNTT phường", "31/03/2027"],
    ]
    assert school == [["1", "1.1", "Yêu cầu 1.1", "Chưa đạt", "", ""]]
    assert "Thư điện tử" in text and "Không có nội dung chưa đạt." in text
    assert "Phần mềm kế toán" in text and "chưa được rà soát, đánh giá" in text
    assert "còn 3 nội dung chưa đạt hoặc mới đạt một phần, trong đó 2 nội dung đã quá hạn" in text
    assert "phường B" not in text  # the other ward's system
    assert "mức đáp ứng 50,0%" in text  # a Vietnamese decimal comma


def test_the_header_names_the_unit_under_its_parent_and_the_city(ward_a, city):
    document = _report(ward_a, city)
    header = [c.text for c in document.tables[0].rows[0].cells]
    assert "THÀNH PHỐ TAM ĐIỆP" in header[0] and "PHƯỜNG BẮC SƠN" in header[0]
    assert "Tam Điệp, ngày 02 tháng 4 năm 2027" in header[1]


def test_a_unit_without_systems_gets_a_report_saying_so(db, unit_b, library):
    empty = factories.make_unit("ward-c", parent=unit_b.parent, name="Phường Trung Sơn")
    text = "\n".join(p.text for p in _report(empty).paragraphs)
    assert "Đơn vị chưa có hệ thống thông tin nào trong danh mục." in text
