"""The compiled results report as PDF, in the layout of `lib/official_document/pdf.py`."""

from __future__ import annotations

from fpdf import FPDF

from citysoc.directives.report_documents import (
    ITEM_COLUMNS,
    UNIT_COLUMNS,
    _item_rows,
    _unit_rows,
    report_title,
    unit_lines,
)
from citysoc.directives.results import Results
from citysoc.lib.official_document.docx import MOTTO, MOTTO_2, report_copies, vietnamese_date
from citysoc.lib.official_document.pdf import heading, line, new_pdf, rule, table


def header(pdf: FPDF, results: Results) -> None:
    d = results.directive
    top = pdf.get_y()
    left_width = 60
    pdf.set_font("serif", "B", 12)
    body = "\n".join(part.upper() for part in d.issuing_body.splitlines())
    line(pdf, left_width, 5.5, body, align="C")
    rule(pdf, pdf.l_margin + left_width / 2, 20)
    pdf.set_font("serif", "", 12)
    line(pdf, left_width, 6, f"Số:      /BC-{d.symbol.split('-')[-1] or 'UBND'}", align="C")
    bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + left_width, top)
    right_centre = pdf.l_margin + left_width + (pdf.epw - left_width) / 2
    pdf.set_font("serif", "B", 11)
    line(pdf, 0, 5.5, MOTTO, align="C")
    pdf.set_x(pdf.l_margin + left_width)
    pdf.set_font("serif", "B", 13)
    line(pdf, 0, 6, MOTTO_2, align="C")
    rule(pdf, right_centre, pdf.get_string_width(MOTTO_2))
    pdf.set_x(pdf.l_margin + left_width)
    pdf.set_font("serif", "I", 13)
    line(pdf, 0, 8, vietnamese_date(d.place, results.today), align="C")
    pdf.set_y(max(bottom, pdf.get_y()) + 6)


def _title(pdf: FPDF, results: Results) -> None:
    pdf.set_font("serif", "B", 14)
    line(pdf, 0, 7, "BÁO CÁO", align="C")
    line(pdf, 0, 7, report_title(results), align="C")
    pdf.ln(3)
    pdf.set_font("serif", "", 13)
    overall = "—" if results.matrix.percent is None else f"{results.matrix.percent}%"
    line(
        pdf,
        0,
        6.5,
        f"Văn bản được gửi tới {results.unit_count} đơn vị với {len(results.items)} nội dung. "
        f"Đến ngày {results.today:%d/%m/%Y}, tỷ lệ hoàn thành chung đạt {overall}.",
        align="J",
    )


def _unit_texts(pdf: FPDF, results: Results) -> None:
    pdf.ln(3)
    heading(pdf, "III. Báo cáo của các đơn vị", keep_with=20)
    for n, unit in enumerate(results.units, 1):
        pdf.set_font("serif", "B", 12)
        if pdf.will_page_break(13):
            pdf.add_page()
        line(pdf, 0, 6.5, f"{n}. {unit.unit_name} ({unit.percent}%)")
        pdf.set_font("serif", "", 12)
        for text in unit_lines(unit, results.today):
            line(pdf, 0, 6, text, align="J")


def footer(pdf: FPDF, results: Results) -> None:
    d = results.directive
    pdf.ln(6)
    # "Nơi nhận" and the signature block are never split over two pages.
    if pdf.will_page_break(55):
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_font("serif", "BI", 12)
    line(pdf, 75, 6, "Nơi nhận:")
    pdf.set_font("serif", "", 11)
    for copy in report_copies(results.today).splitlines():
        line(pdf, 75, 5.5, f"- {copy}")
    pdf.set_xy(pdf.l_margin + 75, top)
    pdf.set_font("serif", "B", 13)
    for title in d.signature_lines():
        pdf.set_x(pdf.l_margin + 75)
        line(pdf, 0, 6, title.upper(), align="C")
    pdf.ln(22)
    pdf.set_x(pdf.l_margin + 75)
    line(pdf, 0, 6, d.signer_name, align="C")


def results_pdf(results: Results) -> bytes:
    """The results report as PDF bytes (A4, Decree 30 margins)."""
    pdf = new_pdf()
    header(pdf, results)
    _title(pdf, results)
    table(
        pdf,
        "I. Tổng hợp theo nội dung",
        ITEM_COLUMNS,
        _item_rows(results),
        # 165 mm: the A4 width less the 30 mm and 15 mm margins.
        (8, 57, 13, 15, 17, 13, 14, 14, 14),
    )
    table(
        pdf, "II. Tổng hợp theo đơn vị", UNIT_COLUMNS, _unit_rows(results), (10, 75, 20, 20, 20, 20)
    )
    _unit_texts(pdf, results)
    footer(pdf, results)
    return bytes(pdf.output())
