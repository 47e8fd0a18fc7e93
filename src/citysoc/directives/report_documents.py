"""The compiled results report (báo cáo kết quả) as DOCX, in the same Decree 30 layout
as the directive: header, title, a table per item, a table per unit, then each unit's
own report text, "Nơi nhận" and the signature block.
"""

from __future__ import annotations

from docx.shared import Pt

from citysoc.directives.results import Results, UnitAnswers
from citysoc.lib.official_document.docx import (
    body_line,
    data_table,
    footer,
    header,
    new_document,
    para,
    to_bytes,
)
from citysoc.lib.official_document.words import report_copies

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
DOC_TYPE_VI = {
    "cong_van": "Công văn",
    "ke_hoach": "Kế hoạch",
    "chi_thi": "Chỉ thị",
    "cong_dien": "Công điện",
    "thong_bao": "Thông báo",
    "quyet_dinh": "Quyết định",
}


def _percent(value: int | None) -> str:
    return "—" if value is None else f"{value}%"


def _shorten(text: str, limit: int) -> str:
    """Cut at a word boundary, so a table cell never ends on half a Vietnamese word."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _item_rows(results: Results) -> list[list[str]]:
    rows = []
    for s in results.items:
        c = s.counts
        text = _shorten(s.item.text, 90)
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


def report_title(results: Results) -> str:
    """'Kết quả thực hiện Công văn số 42/UBND-VHTT ngày 23/01/2026 về việc …'."""
    d = results.directive
    issued = d.date.strftime("%d/%m/%Y") if d.date else "…"
    kind = DOC_TYPE_VI.get(d.doc_type, "văn bản")
    subject = d.subject.removeprefix("V/v").strip()
    return f"Kết quả thực hiện {kind} số {d.reference or '…'} ngày {issued} về việc {subject}"


def unit_lines(unit: UnitAnswers, today) -> list[str]:
    """One line per item the unit answered, then one line for the items it has not.

    A unit that has said nothing would otherwise fill half a page with "not started".
    """
    lines, silent, late = [], [], []
    for item, a, files in unit.answers:
        if a.status == "not_started" and not a.report:
            silent.append(str(item.order))
            if a.is_overdue(today):
                late.append(str(item.order))
            continue
        line = f"- Nội dung {item.order}: {STATUS_VI[a.status]}."
        if a.report:
            line += f" {' '.join(a.report.split())}"
        if a.reason:
            line += f" Lý do không áp dụng: {' '.join(a.reason.split())}"
        if files:
            line += f" (Minh chứng: {', '.join(files)})"
        lines.append(line)
    if silent:
        line = f"- Chưa báo cáo nội dung: {', '.join(silent)}"
        line += f"; đã quá hạn: {', '.join(late)}." if late else "."
        lines.append(line)
    return lines


def _unit_texts(doc, results: Results) -> None:
    for n, unit in enumerate(results.units, 1):
        body_line(doc, f"**{n}. {unit.unit_name}** ({unit.percent}%)", indent=False)
        for line in unit_lines(unit, results.today):
            body_line(doc, line)


def results_docx(results: Results) -> bytes:
    """The results report as DOCX bytes."""
    d = results.directive
    doc = new_document()
    header(
        doc,
        d,
        reference=f"     /BC-{d.symbol.split('-')[-1] or 'UBND'}",
        subject="",
        date=results.today,
    )
    para(doc, "BÁO CÁO", size=14, bold=True).paragraph_format.space_before = Pt(12)
    para(doc, report_title(results), size=14, bold=True)
    overall = _percent(results.matrix.percent)
    body_line(
        doc,
        f"Văn bản được gửi tới {results.unit_count} đơn vị với {len(results.items)} nội dung. "
        f"Đến ngày {results.today:%d/%m/%Y}, tỷ lệ hoàn thành chung đạt {overall}.",
    )
    body_line(doc, "**I. Tổng hợp theo nội dung**", indent=False)
    data_table(doc, ITEM_COLUMNS, _item_rows(results))
    body_line(doc, "**II. Tổng hợp theo đơn vị**", indent=False)
    data_table(doc, UNIT_COLUMNS, _unit_rows(results))
    body_line(doc, "**III. Báo cáo của các đơn vị**", indent=False)
    _unit_texts(doc, results)
    footer(doc, d, report_copies(results.today))
    return to_bytes(doc)
