"""The official document layout, drawn from plain values with no Django."""

import datetime as dt
import io
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest

from citysoc.lib.official_document import pdf
from citysoc.lib.official_document.docx import (
    body_line,
    data_table,
    footer,
    header,
    new_document,
    to_bytes,
)
from citysoc.lib.official_document.words import MOTTO, report_copies, vietnamese_date


@dataclass
class Office:
    """An `Issuer` that is neither a directive nor a unit's letterhead."""

    issuing_body: str = "Sở Văn hóa\nPhòng An toàn thông tin"
    place: str = "Tam Điệp"
    signer_name: str = "Nguyễn Văn A"

    def signature_lines(self) -> list[str]:
        return ["KT. Giám đốc", "Phó Giám đốc"]


def test_dates_are_written_the_vietnamese_way():
    assert vietnamese_date("Tam Điệp", dt.date(2025, 1, 5)) == "Tam Điệp, ngày 05 tháng 01 năm 2025"
    assert (
        vietnamese_date("Tam Điệp", dt.date(2025, 12, 24)) == "Tam Điệp, ngày 24 tháng 12 năm 2025"
    )
    assert vietnamese_date("Tam Điệp", dt.date(2025, 3, 15)).endswith("tháng 3 năm 2025")
    assert vietnamese_date("Tam Điệp", None, 2026) == "Tam Điệp, ngày     tháng     năm 2026"


def test_a_document_has_the_header_body_table_and_signature_blocks():
    doc = new_document()
    header(doc, Office(), reference="12/BC-VHTT", subject="V/v rà soát", date=dt.date(2026, 2, 3))
    body_line(doc, "Nội dung **quan trọng** đã xong.")
    data_table(doc, ["TT", "Đơn vị"], [["1", "Phường Bắc Sơn"]], widths_cm=[1.5, 15])
    footer(doc, Office(), report_copies(dt.date(2027, 1, 5), "Các đơn vị;"))
    read = docx.Document(io.BytesIO(to_bytes(doc)))
    head, table, foot = read.tables
    left, right = (c.text for c in head.rows[0].cells)
    assert left.startswith("SỞ VĂN HÓA\nPHÒNG AN TOÀN THÔNG TIN")
    assert "Số: 12/BC-VHTT" in left and "V/v rà soát" in left
    assert right.startswith(MOTTO) and "Tam Điệp, ngày 03 tháng 02 năm 2026" in right
    bold = [r.text for p in read.paragraphs for r in p.runs if r.bold]
    assert bold == ["quan trọng"]
    assert [c.text for c in table.rows[1].cells] == ["1", "Phường Bắc Sơn"]
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
    copies, signature = (c.text for c in foot.rows[0].cells)
    assert copies.splitlines() == [
        "Nơi nhận:",
        "- Công an tỉnh (PA05) (b/c);",
        "- Các đơn vị;",
        "- Lưu: VT.",
    ]
    assert signature.startswith("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC") and "Nguyễn Văn A" in signature
    section = read.sections[0]
    assert section.different_first_page_header_footer  # page numbers from page two
    assert "PAGE" in section.header._element.xml


def test_the_pdf_font_has_every_vietnamese_letter_or_none_is_used(tmp_path):
    try:
        fonts = pdf.serif_fonts()
    except pdf.FontMissing as exc:
        pytest.skip(str(exc))
    assert set(fonts) == {"", "B", "I", "BI"} and pdf.covers_vietnamese(fonts[""])
    document = pdf.new_pdf()
    document.set_font("serif", "", 12)
    pdf.line(document, 0, 6, "Độc lập - Tự do - Hạnh phúc", align="C")
    pdf.rule(document, 100, 40)
    pdf.table(
        document, "I. Tổng hợp", ["TT", "Đơn vị", "Tỷ lệ"], [["1", "Ủy ban", "50%"]], (10, 60, 20)
    )
    assert bytes(document.output()).startswith(b"%PDF-")


def test_the_pdf_header_and_signature_block_say_what_the_docx_says():
    pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 reads the PDF's text")
    try:
        document = pdf.new_pdf()
    except pdf.FontMissing as exc:
        pytest.skip(str(exc))
    office = Office()
    pdf.header(
        document,
        issuing_body=office.issuing_body,
        place=office.place,
        date=dt.date(2026, 2, 3),
        reference="12/BC-VHTT",
    )
    pdf.footer(document, ["Các đơn vị;", "Lưu: VT."], office.signature_lines(), office.signer_name)
    page = pdfium.PdfDocument(bytes(document.output()))[0]
    text = " ".join(page.get_textpage().get_text_range().split())
    expected = [
        "SỞ VĂN HÓA PHÒNG AN TOÀN THÔNG TIN",  # upper case, wrapped in its column
        "Số: 12/BC-VHTT",
        MOTTO,
        "Độc lập - Tự do - Hạnh phúc",
        "Tam Điệp, ngày 03 tháng 02 năm 2026",
        "Nơi nhận: - Các đơn vị; - Lưu: VT.",
        "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC",
        "Nguyễn Văn A",
    ]
    positions = [text.find(part) for part in expected]
    assert -1 not in positions and positions == sorted(positions), text


def test_a_font_without_the_vietnamese_letters_is_refused():
    # Debian's Liberation 1 lacks ổ, ợ, ị…: the reason for the probe.
    old = Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf")
    if not old.exists():
        pytest.skip("Liberation 1 is not installed")
    assert not pdf.covers_vietnamese(old)


def test_the_layout_imports_no_django():
    code = (
        "import sys, citysoc.lib.official_document.docx, citysoc.lib.official_document.pdf;"
        "sys.exit('django' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
