"""The whole cycle on the demo city: template, issue, two units answer, compile, export."""

import datetime as dt
import io

import docx
import openpyxl
import pytest

from citysoc.core.models import Unit
from citysoc.directives.cli import main as directive_cli
from citysoc.directives.exporting import matrix_xlsx
from citysoc.directives.models import Assignment
from citysoc.directives.report_documents import results_docx
from citysoc.directives.results import compile_results
from citysoc.directives.templating import instantiate_template

# Two days after Tết 2026 (17/02): the items due on 10/02 are late unless answered.
TODAY = dt.date(2026, 2, 19)


def test_the_results_report_has_the_header_the_tables_and_the_units_texts(answered):
    results = compile_results(answered, Assignment.objects.all(), today=TODAY)
    document = docx.Document(io.BytesIO(results_docx(results)))
    header, by_item, by_unit, footer = document.tables
    left, right = (c.text for c in header.rows[0].cells)
    assert left.startswith("ỦY BAN NHÂN DÂN\nTỈNH NINH BÌNH")
    assert "Ninh Bình, ngày 19 tháng 02 năm 2026" in right
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text
    assert "Kết quả thực hiện Công văn số 42/UBND-KGVX ngày 23/01/2026 về việc tăng cường" in text
    assert "gửi tới 22 đơn vị với 9 nội dung" in text
    first_item = [c.text for c in by_item.rows[1].cells]
    # Item 1 went to 22 units; only Bắc Sơn answered, the other 21 are late.
    assert first_item[0] == "1" and first_item[2:] == ["22", "1", "0", "0", "21", "21", "5%"]
    isp_item = [c.text for c in by_item.rows[6].cells]
    assert isp_item[2:4] == ["3", "0"] and isp_item[5] == "1"
    units = {row.cells[1].text: [c.text for c in row.cells] for row in by_unit.rows[1:]}
    assert units["Phường Tam Điệp"][2:] == ["6", "6", "0", "100%"]
    assert units["VNPT Tam Điệp"][2:] == ["9", "0", "9", "0%"]
    assert "Nội dung 1: Đã hoàn thành. Bắc Sơn đã xong mục 1 (Minh chứng: " in text
    assert "Nội dung 6: Đang thực hiện. VNPT đang bố trí ca trực" in text
    assert footer.rows[0].cells[0].text.startswith("Nơi nhận:")
    # Sent upward in 2026: to the provincial police, not the Department abolished in 2025.
    assert "- Công an tỉnh (PA05) (b/c);" in footer.rows[0].cells[0].text
    assert "Thông tin và Truyền thông" not in footer.rows[0].cells[0].text


def test_the_matrix_workbook_shows_every_units_answers(answered):
    results = compile_results(answered, Assignment.objects.all(), today=TODAY)
    wb = openpyxl.load_workbook(io.BytesIO(matrix_xlsx(results)))
    matrix, answers = wb["Ma trận"], wb["Báo cáo đơn vị"]
    rows = {r[0]: r for r in matrix.iter_rows(min_row=2, values_only=True)}
    assert rows["Phường Tam Điệp"][-1] == 100
    assert rows["VNPT Tam Điệp"][6] == "Đang thực hiện"
    assert answers.max_row == 1 + 19 * 6 + 3 * 9  # a header, then 19 units × 6 and 3 ISPs × 9
    reports = [r[6] for r in answers.iter_rows(min_row=2, values_only=True) if r[6]]
    assert "VNPT đang bố trí ca trực" in reports


def test_a_unit_downloads_a_report_of_its_own_answers_only(answered, client):
    from tests import factories

    officer = factories.make_user(
        "bacson", unit=Unit.objects.get(code="p-bacson"), role="unit_admin"
    )
    client.force_login(officer)
    response = client.get(f"/directives/{answered.pk}/report/xlsx/")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    units = {r[0] for r in wb["Báo cáo đơn vị"].iter_rows(min_row=2, values_only=True)}
    assert units == {"Phường Tam Điệp", "Trường THCS Bắc Sơn"}  # the ward and its school


def test_the_report_verb_writes_both_files(answered, tmp_path, capsys):
    docx_path, xlsx_path = tmp_path / "bc.docx", tmp_path / "kq.xlsx"
    pdf_path = tmp_path / "bc.pdf"
    args = ["report", str(answered.pk), "--docx", str(docx_path), "--xlsx", str(xlsx_path)]
    assert directive_cli([*args, "--pdf", str(pdf_path)]) == 0
    assert docx_path.read_bytes()[:2] == xlsx_path.read_bytes()[:2] == b"PK"
    assert pdf_path.read_bytes()[:5] == b"%PDF-"
    draft = instantiate_template("tet", year=2027)
    assert directive_cli(["report", str(draft.pk), "--docx", str(docx_path)]) == 2
    assert "is a draft: issue it first" in capsys.readouterr().err


def test_the_pdf_report_is_drawn_with_a_font_that_has_every_vietnamese_letter(
    answered, client, city_admin
):
    from citysoc.lib.official_document.pdf import FontMissing, covers_vietnamese, serif_fonts

    try:
        fonts = serif_fonts()
    except FontMissing as exc:
        pytest.skip(str(exc))
    assert covers_vietnamese(fonts[""])
    client.force_login(city_admin)
    response = client.get(f"/directives/{answered.pk}/report/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
