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
from citysoc.lib.official_document.pdf import footer, header, heading, line, new_pdf, table
from citysoc.lib.official_document.words import report_copies


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


def results_pdf(results: Results) -> bytes:
    """The results report as PDF bytes (A4, Decree 30 margins)."""
    d = results.directive
    pdf = new_pdf()
    header(
        pdf,
        issuing_body=d.issuing_body,
        place=d.place,
        date=results.today,
        reference=f"     /BC-{d.symbol.split('-')[-1] or 'UBND'}",
    )
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
    pdf.ln(6)
    footer(pdf, report_copies(results.today).splitlines(), d.signature_lines(), d.signer_name)
    return bytes(pdf.output())
