"""The follow-up matrix and every unit's answers as an XLSX workbook."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from citysoc.directives.report_documents import STATUS_VI
from citysoc.directives.results import Results
from citysoc.lib.formulas import defuse_workbook

FILLS = {
    "not_started": PatternFill("solid", fgColor="ECEEF2"),
    "in_progress": PatternFill("solid", fgColor="FFF1D6"),
    "done": PatternFill("solid", fgColor="E3F3E5"),
    "not_applicable": PatternFill("solid", fgColor="F3F0F8"),
}
LATE = Font(color="B3261E", bold=True)
BOLD = Font(bold=True)


def _matrix_sheet(ws, results: Results) -> None:
    items = results.matrix.items
    ws.append(["Đơn vị", *[f"ND {i.order}" for i in items], "Tỷ lệ hoàn thành (%)"])
    for row in results.matrix.rows:
        values = [row.unit.name]
        values += [STATUS_VI[c.assignment.status] if c else "" for c in row.cells]
        ws.append([*values, row.percent])
        for col, cell in enumerate(row.cells, start=2):
            if cell is not None:
                target = ws.cell(row=ws.max_row, column=col)
                target.fill = FILLS[cell.assignment.status]
                if cell.overdue:
                    target.font = LATE
    ws.append(["Tỷ lệ theo nội dung (%)", *results.matrix.item_percents, results.matrix.percent])
    for cell in (*ws[1], *ws[ws.max_row]):
        cell.font = BOLD
    ws.column_dimensions["A"].width = 40
    for col in range(2, len(items) + 3):
        ws.column_dimensions[get_column_letter(col)].width = 16
    ws.freeze_panes = "B2"


def _answers_sheet(ws, results: Results) -> None:
    ws.append(
        [
            "Đơn vị",
            "ND",
            "Nội dung",
            "Hạn",
            "Trạng thái",
            "Quá hạn",
            "Báo cáo",
            "Lý do không áp dụng",
            "Minh chứng",
        ]
    )
    for cell in ws[1]:
        cell.font = BOLD
    for unit in results.units:
        for item, a, files in unit.answers:
            late = a.is_overdue(results.today)
            ws.append(
                [
                    unit.unit_name,
                    item.order,
                    item.text,
                    item.due_date,
                    STATUS_VI[a.status],
                    "x" if late else "",
                    a.report,
                    a.reason,
                    ", ".join(files),
                ]
            )
            ws.cell(row=ws.max_row, column=4).number_format = "DD/MM/YYYY"
    for col, width in zip("ABCDEFGHI", (36, 5, 60, 12, 16, 8, 60, 30, 30), strict=True):
        ws.column_dimensions[col].width = width


def matrix_xlsx(results: Results) -> bytes:
    """Two sheets: the matrix with status colours, and one row per unit and item."""
    wb = Workbook()
    _matrix_sheet(wb.active, results)
    wb.active.title = "Ma trận"
    _answers_sheet(wb.create_sheet("Báo cáo đơn vị"), results)
    out = io.BytesIO()
    defuse_workbook(wb)  # answers and notes are typed by units
    wb.save(out)
    return out.getvalue()
