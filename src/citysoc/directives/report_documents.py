"""The compiled results report (báo cáo kết quả) as DOCX, in the same Decree 30 layout
as the directive: header, title, a table per item, a table per unit, then each unit's
own report text, "Nơi nhận" and the signature block.
"""

from __future__ import annotations

from docx.shared import Pt

from citysoc.directives.documents import (
    _body_line,
    _bytes,
    _footer,
    _header,
    _new_document,
    _para,
    _run,
)
from citysoc.directives.results import Results

# The report is an official Vietnamese document whatever language the reader's UI uses.
STATUS_VI = {
    "not_started": "Chưa thực hiện",
    "in_progress": "Đang thực hiện",
    "done": "Đã hoàn thành",
    "not_applicable": "Không áp dụng",
}
ITEM_COLUMNS = [
    "TT",
    "Nội dung",
    "Số đơn vị",
    "Hoàn thành",
    "Không áp dụng",
    "Đang làm",
    "Chưa làm",
    "Quá hạn",
    "Tỷ lệ",
]
UNIT_COLUMNS = ["TT", "Đơn vị", "Số nội dung", "Hoàn thành", "Quá hạn", "Tỷ lệ"]
REPORT_COPIES = "Sở Thông tin và Truyền thông (b/c);\nLưu: VT, VHTT."


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _fill(cell, text, bold=True)
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            _fill(cell, text)


def _fill(cell, text: str, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, size=11, bold=bold)


def _percent(value: int | None) -> str:
    return "—" if value is None else f"{value}%"


def _item_rows(results: Results) -> list[list[str]]:
    rows = []
    for s in results.items:
        c = s.counts
        text = s.item.text if len(s.item.text) <= 90 else s.item.text[:87] + "…"
        rows.append(
            [
                str(s.item.order),
                text,
                str(s.total),
                str(c["done"]),
                str(c["not_applicable"]),
                str(c["in_progress"]),
                str(c["not_started"]),
                str(s.overdue),
                _percent(s.percent),
            ]
        )
    return rows


def _unit_rows(results: Results) -> list[list[str]]:
    rows = []
    for n, (unit, row) in enumerate(zip(results.units, results.matrix.rows, strict=True), 1):
        cells = [c for c in row.cells if c is not None]
        done = sum(c.assignment.is_closed for c in cells)
        late = sum(c.overdue for c in cells)
        rows.append(
            [str(n), unit.unit_name, str(len(cells)), str(done), str(late), _percent(unit.percent)]
        )
    return rows


def _unit_texts(doc, results: Results) -> None:
    for n, unit in enumerate(results.units, 1):
        _body_line(doc, f"**{n}. {unit.unit_name}** ({unit.percent}%)", indent=False)
        for item, a, files in unit.answers:
            line = f"- Nội dung {item.order}: {STATUS_VI[a.status]}."
            if a.report:
                line += f" {' '.join(a.report.split())}"
            if a.reason:
                line += f" Lý do không áp dụng: {' '.join(a.reason.split())}"
            if files:
                line += f" (Minh chứng: {', '.join(files)})"
            _body_line(doc, line)


def results_docx(results: Results) -> bytes:
    """The results report as DOCX bytes."""
    d = results.directive
    doc = _new_document()
    _header(
        doc,
        d,
        reference=f"     /BC-{d.symbol.split('-')[-1] or 'UBND'}",
        subject="",
        date=results.today,
    )
    _para(doc, "BÁO CÁO", size=14, bold=True)
    issued = d.date.strftime("%d/%m/%Y") if d.date else "…"
    title = f"Kết quả thực hiện văn bản số {d.reference or '…'} ngày {issued}"
    _para(doc, title, size=14, bold=True)
    _para(doc, d.subject.removeprefix("V/v ").strip(), size=14, bold=True)
    overall = _percent(results.matrix.percent)
    _body_line(
        doc,
        f"Văn bản được gửi tới {results.unit_count} đơn vị với {len(results.items)} nội dung. "
        f"Đến ngày {results.today:%d/%m/%Y}, tỷ lệ hoàn thành chung đạt {overall}.",
    )
    _body_line(doc, "**I. Tổng hợp theo nội dung**", indent=False)
    _table(doc, ITEM_COLUMNS, _item_rows(results))
    _body_line(doc, "**II. Tổng hợp theo đơn vị**", indent=False)
    _table(doc, UNIT_COLUMNS, _unit_rows(results))
    _body_line(doc, "**III. Báo cáo của các đơn vị**", indent=False)
    _unit_texts(doc, results)
    _footer(doc, d, REPORT_COPIES)
    return _bytes(doc)
