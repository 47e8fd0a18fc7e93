"""The periodic report as DOCX (Decree 30 layout), PDF (fpdf2) and XLSX (openpyxl)."""

from __future__ import annotations

import io

import openpyxl
from openpyxl.styles import Font

from citysoc.core.letterhead import letterhead_for
from citysoc.lib.formulas import defuse_row
from citysoc.lib.official_document.docx import (
    body_line,
    data_table,
    footer,
    header,
    new_document,
    para,
    to_bytes,
)
from citysoc.lib.official_document.pdf import header as pdf_header
from citysoc.lib.official_document.pdf import line, new_pdf, table
from citysoc.lib.official_document.words import report_copies
from citysoc.reports.periodic import Figures
from citysoc.reports.scoring import UnitScore

UNIT_HEADER = ["TT", "Đơn vị", "Điểm", "Thay đổi trong kỳ"]


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


def summary(report: Figures) -> str:
    """The report's opening paragraph, also the body of the weekly e-mail."""
    scored = [r for r in report.rows if r.score is not None]
    ranked = [r for r in report.rows if r.rank is not None]  # best and worst: ranked units only
    text = (
        f"Từ ngày {report.start:%d/%m/%Y} đến ngày {report.end:%d/%m/%Y}, "
        f"{len(scored)}/{len(report.rows)} đơn vị có số liệu để chấm điểm; "
        f"điểm trung bình đạt {_num(report.mean)}/100."
    )
    text += _best_and_worst(ranked)
    untracked = [str(c.label) for c in report.columns if not c.tracked]
    if untracked:
        text += " Chưa theo dõi trên hệ thống: " + ", ".join(untracked) + "."
    return text


def _best_and_worst(ranked: list[UnitScore]) -> str:
    """Highest and lowest of the ranked units; one unit, or all level, is said as such (it
    read "Cao nhất: X …; thấp nhất: X …" of the same unit)."""
    if not ranked:
        return ""
    best, worst = ranked[0], ranked[-1]
    if len(ranked) == 1:
        return f" Chỉ một đơn vị đủ số liệu để xếp hạng: {best.unit.name} ({_num(best.score)})."
    if best.score == worst.score:
        return f" {len(ranked)} đơn vị được xếp hạng cùng đạt {_num(best.score)} điểm."
    return (
        f" Cao nhất: {best.unit.name} ({_num(best.score)}); "
        f"thấp nhất: {worst.unit.name} ({_num(worst.score)})."
    )


def unit_rows(report: Figures) -> list[list[str]]:
    return [
        [str(row.rank or "—"), row.unit.name, _num(row.score), _num(report.change(row))]
        for row in report.rows
    ]


def component_rows(report: Figures) -> list[list[str]]:
    """One line per (unit, tracked component): its raw figure and points."""
    rows = []
    for row in report.rows:
        for cell in row.cells:
            if cell.column.tracked and cell.raw is not None:
                rows.append(
                    [row.unit.name, str(cell.column.label), cell.raw.text, _num(cell.points)]
                )
    return rows


def weight_rows(report: Figures) -> list[list[str]]:
    return [
        [str(c.label), _num(c.weight), str(c.rule) if c.tracked else "Chưa theo dõi"]
        for c in report.columns
    ]


def report_docx(report: Figures) -> bytes:
    head = letterhead_for(report.city)
    doc = new_document()
    header(doc, head, reference="     /BC-TTGS", subject="", date=report.end)
    para(doc, "BÁO CÁO", size=14, bold=True)
    para(doc, report.title, size=14, bold=True)
    body_line(doc, summary(report))
    body_line(doc, "**I. Xếp hạng các đơn vị**", indent=False)
    data_table(doc, UNIT_HEADER, unit_rows(report), [1.2, 8.5, 2.5, 3.3])
    body_line(doc, "**II. Số liệu theo từng thành phần**", indent=False)
    data_table(
        doc, ["Đơn vị", "Thành phần", "Số liệu", "Điểm"], component_rows(report), [4.5, 4, 6, 1.5]
    )
    body_line(doc, "**III. Trọng số và cách tính điểm**", indent=False)
    data_table(doc, ["Thành phần", "Trọng số", "Cách tính"], weight_rows(report), [4.5, 2, 10])
    footer(doc, head, report_copies(report.end))
    return to_bytes(doc)


def report_xlsx(report: Figures) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Xếp hạng"
    tracked = [c for c in report.columns if c.tracked]
    ws.append(defuse_row([report.title, f"{report.start:%d/%m/%Y} – {report.end:%d/%m/%Y}"]))
    heading = [*UNIT_HEADER, *(str(c.label) for c in tracked)]
    ws.append(defuse_row(heading))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in report.rows:
        points = {c.column.key: c.points for c in row.cells}
        ws.append(
            defuse_row(
                [
                    row.rank,
                    row.unit.name,
                    row.score,
                    report.change(row),
                    *(points.get(c.key) for c in tracked),
                ]
            )
        )
    details = wb.create_sheet("Số liệu")
    details.append(["Đơn vị", "Thành phần", "Số liệu", "Điểm"])
    for values in component_rows(report):
        details.append(defuse_row(values))
    weights = wb.create_sheet("Trọng số")
    weights.append(["Thành phần", "Trọng số", "Cách tính"])
    for values in weight_rows(report):
        weights.append(defuse_row(values))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_pdf(report: Figures) -> bytes:
    pdf = new_pdf()
    head = letterhead_for(report.city)
    pdf_header(
        pdf, issuing_body=head.issuing_body, place=head.place, date=report.end, reference=None
    )
    pdf.set_font("serif", "B", 14)
    line(pdf, 0, 7, "BÁO CÁO", align="C")
    line(pdf, 0, 7, report.title, align="C")
    pdf.set_font("serif", "", 13)
    line(pdf, 0, 6.5, summary(report), align="J")
    table(pdf, "I. Xếp hạng các đơn vị", UNIT_HEADER, unit_rows(report), (12, 93, 25, 35))
    table(
        pdf,
        "II. Số liệu theo từng thành phần",
        ["Đơn vị", "Thành phần", "Số liệu", "Điểm"],
        component_rows(report),
        (40, 35, 75, 15),
    )
    table(
        pdf,
        "III. Trọng số và cách tính điểm",
        ["Thành phần", "Trọng số", "Cách tính"],
        weight_rows(report),
        (45, 20, 100),
    )
    pdf.ln(6)
    pdf.set_font("serif", "BI", 12)
    line(pdf, 0, 6, "Nơi nhận:")
    pdf.set_font("serif", "", 11)
    for copy in report_copies(report.end).splitlines():
        line(pdf, 0, 5.5, f"- {copy}")
    return bytes(pdf.output())


def render(report: Figures, fmt: str) -> bytes:
    writers = {
        "docx": report_docx,
        "pdf": report_pdf,
        "xlsx": report_xlsx,
    }
    return writers[fmt](report)
