"""Compliance exports: the city's workbook (XLSX) and a unit's gap report (DOCX).

Both take querysets the caller already limited to what the user may see. The report uses
the Decree 30/2020 layout of `lib/official_document/docx.py` and is always in Vietnamese: it is an
official document ("Báo cáo kết quả rà soát, đánh giá an toàn hệ thống thông tin theo cấp
độ"), with one table per system listing its gaps (partly met and not met items).
"""

from __future__ import annotations

import datetime as dt
import io

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from citysoc.compliance import overview
from citysoc.compliance.models import Assessment, AssessmentItem, Requirement
from citysoc.core.letterhead import Letterhead, letterhead_for
from citysoc.core.models import Unit
from citysoc.inventory.models import InformationSystem
from citysoc.lib.formulas import defuse_workbook
from citysoc.lib.official_document.docx import (
    body_line,
    data_table,
    footer,
    header,
    new_document,
    para,
    to_bytes,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REPORT_TITLE = "Kết quả rà soát, đánh giá an toàn hệ thống thông tin theo cấp độ"

STATUS_VI: dict[str, str] = {
    AssessmentItem.Status.NOT_ASSESSED: "Chưa đánh giá",
    AssessmentItem.Status.MET: "Đạt",
    AssessmentItem.Status.PARTLY: "Một phần",
    AssessmentItem.Status.NOT_MET: "Chưa đạt",
    AssessmentItem.Status.NOT_APPLICABLE: "Không áp dụng",
}
DOSSIER_VI: dict[str, str] = {
    InformationSystem.Dossier.NONE: "Chưa có hồ sơ",
    InformationSystem.Dossier.DRAFT: "Đang xây dựng hồ sơ",
    InformationSystem.Dossier.SUBMITTED: "Đã trình thẩm định",
    InformationSystem.Dossier.APPRAISED: "Đã thẩm định",
    InformationSystem.Dossier.APPROVED: "Đã phê duyệt",
}
ASSESSMENT_VI: dict[str, str] = {
    Assessment.Status.IN_PROGRESS: "Đang đánh giá",
    Assessment.Status.COMPLETED: "Đã hoàn thành",
}
SYSTEM_COLUMNS = [
    "Đơn vị",
    "Mã đơn vị",
    "Hệ thống thông tin",
    "Cấp độ",
    "Xác định theo",
    "Hồ sơ cấp độ",
    "Quyết định phê duyệt",
    "Đánh giá gần nhất",
    "Bộ tiêu chí",
    "Trạng thái đánh giá",
    "Ngày hoàn thành",
    "Điểm (%)",
    "Số tồn tại",
]
GROUP_COLUMNS = [
    "Đơn vị",
    "Hệ thống thông tin",
    "Bộ tiêu chí",
    "Mục",
    "Nhóm yêu cầu",
    "Điểm (%)",
    "Đạt",
    "Một phần",
    "Chưa đạt",
    "Không áp dụng",
    "Chưa đánh giá",
]
GAP_COLUMNS = [
    "Đơn vị",
    "Hệ thống thông tin",
    "Mục",
    "Yêu cầu",
    "Tình trạng",
    "Ghi chú",
    "Người khắc phục",
    "Hạn khắc phục",
    "Quá hạn",
]
REPORT_COLUMNS = ["TT", "Mục", "Yêu cầu", "Tình trạng", "Người khắc phục", "Hạn khắc phục"]
# 16.5 cm of A4 text width; the requirement's title takes what the short columns leave.
REPORT_WIDTHS = [0.9, 1.8, 7.0, 2.0, 2.6, 2.2]
BOLD = Font(bold=True)
LATE = Font(color="B3261E", bold=True)
HEAD_FILL = PatternFill("solid", fgColor="ECEEF2")
BAND_FILLS = {
    "hm-low": PatternFill("solid", fgColor="F4C7C3"),
    "hm-mid": PatternFill("solid", fgColor="FCE8B2"),
    "hm-high": PatternFill("solid", fgColor="D9EAD3"),
    "hm-full": PatternFill("solid", fgColor="B7E1CD"),
}
REPORT_COPIES = "Trung tâm Giám sát an toàn thông tin thành phố (b/c);\nLưu: VT."


def _heading(ws, columns: list[str], widths: list[int]) -> None:
    ws.append(columns)
    for cell in ws[1]:
        cell.font = BOLD
        cell.fill = HEAD_FILL
    ws.freeze_panes = "A2"
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width


def _dates(ws, columns: tuple[int, ...]) -> None:
    for col in columns:
        ws.cell(row=ws.max_row, column=col).number_format = "DD/MM/YYYY"


def _decision(system: InformationSystem) -> str:
    if not system.decision_number:
        return ""
    day = f" ngày {system.decision_date:%d/%m/%Y}" if system.decision_date else ""
    return f"{system.decision_number}{day}"


def _group_label(group: Requirement | None) -> tuple[str, str]:
    return (group.ref_id, group.title) if group is not None else ("", "")


# --- the workbook ---------------------------------------------------------------------------


def city_xlsx(
    systems: QuerySet[InformationSystem],
    assessments: QuerySet[Assessment],
    heatmap: overview.Heatmap,
    *,
    today: dt.date,
) -> bytes:
    """Sheets: systems (level, approval, last assessment, score), scores per group, gaps,
    and the heatmap of the library shown on the page."""
    rows, top = overview.system_gaps(systems, assessments)
    groups = {g.pk: g for g in top.values()}
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Hệ thống"
    _heading(sheet, SYSTEM_COLUMNS, [32, 14, 36, 8, 22, 18, 26, 12, 18, 16, 14, 10, 10])
    for r in rows:
        s, a = r.system, r.assessment
        sheet.append(
            [
                s.unit.name,
                s.unit.code,
                s.name,
                s.security_level,
                str(s.regime) if s.regime else "",
                DOSSIER_VI.get(s.dossier_status, s.dossier_status),
                _decision(s),
                a.started_on if a else None,
                a.library.ref_id if a else "",
                ASSESSMENT_VI.get(a.status, a.status) if a else "Chưa đánh giá",
                a.completed_on if a else None,
                r.tally.score if r.tally else None,
                len(r.gaps) if a else None,
            ]
        )
        _dates(sheet, (8, 11))
    _group_sheet(wb, rows, groups)
    _gap_sheet(wb, rows, today)
    _heat_sheet(wb, heatmap)
    defuse_workbook(wb)  # unit names, notes and owners are typed by units
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _group_sheet(wb, rows: list[overview.SystemGaps], groups: dict) -> None:
    sheet = wb.create_sheet("Điểm theo nhóm")
    _heading(sheet, GROUP_COLUMNS, [32, 36, 18, 8, 48, 10, 8, 10, 10, 12, 12])
    for r in rows:
        if r.assessment is None:
            continue
        ordered = sorted(
            r.groups.items(),
            key=lambda kv: (groups[kv[0]].order, kv[0]) if kv[0] in groups else (0, 0),
        )
        for group_id, t in ordered:
            ref, title = _group_label(groups.get(group_id))
            sheet.append(
                [
                    r.system.unit.name,
                    r.system.name,
                    r.assessment.library.ref_id,
                    ref,
                    title,
                    t.score,
                    t.met,
                    t.partly,
                    t.not_met,
                    t.not_applicable,
                    t.total - t.answered,
                ]
            )


def _gap_sheet(wb, rows: list[overview.SystemGaps], today: dt.date) -> None:
    sheet = wb.create_sheet("Tồn tại")
    _heading(sheet, GAP_COLUMNS, [32, 36, 10, 60, 12, 40, 24, 14, 8])
    for r in rows:
        for item in r.gaps:
            late = item.gap_due is not None and item.gap_due < today
            sheet.append(
                [
                    r.system.unit.name,
                    r.system.name,
                    item.requirement.ref_id,
                    item.requirement.title,
                    STATUS_VI[item.status],
                    item.note,
                    item.gap_owner,
                    item.gap_due,
                    "x" if late else "",
                ]
            )
            _dates(sheet, (8,))
            if late:
                sheet.cell(row=sheet.max_row, column=9).font = LATE


def _heat_sheet(wb, heatmap: overview.Heatmap) -> None:
    sheet = wb.create_sheet("Bản đồ nhiệt")
    if heatmap.library is None:
        sheet.append(["Chưa có đánh giá nào."])
        return
    sheet.append([f"Bộ tiêu chí: {heatmap.library.name} (điểm trung bình các hệ thống, %)"])
    sheet.append(["Đơn vị", "Số HTTT", "Đã đánh giá", "Chung", *[g.ref_id for g in heatmap.groups]])
    sheet.append(["", "", "", "", *[g.title for g in heatmap.groups]])
    for row in (2, 3):
        for cell in sheet[row]:
            cell.font = BOLD
            cell.fill = HEAD_FILL
    for r in heatmap.rows:
        sheet.append(
            [r.unit.name, r.systems, r.assessed, r.score.score, *[c.score for c in r.cells]]
        )
        for col, cell in enumerate([r.score, *r.cells], start=4):
            fill = BAND_FILLS.get(cell.css)
            if fill:
                sheet.cell(row=sheet.max_row, column=col).fill = fill
    sheet.column_dimensions["A"].width = 32
    sheet.freeze_panes = "B4"


# --- the gap report -------------------------------------------------------------------------


def unit_letterhead(unit: Unit, city: Unit | None) -> Letterhead:
    """The unit issues its own report; its parent (or the city) heads the header block."""
    place = letterhead_for(city).place
    parent = unit.parent.name if unit.parent is not None else ""
    body = f"{parent}\n{unit.name}" if parent else unit.name
    return Letterhead(issuing_body=body, place=place, signer_title="THỦ TRƯỞNG ĐƠN VỊ")


def _fmt(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _system_line(n: int, r: overview.SystemGaps) -> str:
    s, a = r.system, r.assessment
    level = f"cấp độ {s.security_level}" if s.security_level else "chưa xác định cấp độ"
    dossier = DOSSIER_VI.get(s.dossier_status, s.dossier_status).lower()
    line = f"**{n}. {s.name}** ({level}, hồ sơ cấp độ: {dossier})"
    if a is None:
        return f"{line}: chưa được rà soát, đánh giá."
    when = (
        f"hoàn thành ngày {_fmt(a.completed_on)}"
        if a.status == Assessment.Status.COMPLETED
        else f"đang thực hiện từ ngày {_fmt(a.started_on)}"
    )
    score = (
        f"{r.tally.score:.1f}%".replace(".", ",")  # a Vietnamese decimal comma
        if r.tally and r.tally.score is not None
        else "—"
    )
    return (
        f"{line}: đánh giá theo {a.library.ref_id} ở cấp độ {a.level}, {when}; mức đáp ứng "
        f"{score}; {len(r.gaps)} nội dung chưa đạt hoặc mới đạt một phần."
    )


def _summary(doc, rows: list[overview.SystemGaps], today: dt.date) -> None:
    assessed = [r for r in rows if r.assessment is not None]
    approved = sum(r.system.level_approved for r in rows)
    gaps = [item for r in rows for item in r.gaps]
    late = sum(1 for item in gaps if item.gap_due is not None and item.gap_due < today)
    body_line(doc, "**I. Tổng hợp chung**", indent=False)
    body_line(
        doc,
        f"Đơn vị đang vận hành {len(rows)} hệ thống thông tin, trong đó {approved} hệ thống "
        f"đã được phê duyệt cấp độ; {len(assessed)} hệ thống đã được rà soát, đánh giá theo "
        "yêu cầu an toàn của cấp độ.",
    )
    body_line(
        doc,
        f"Đến ngày {today:%d/%m/%Y}: còn {len(gaps)} nội dung chưa đạt hoặc mới đạt một phần, "
        f"trong đó {late} nội dung đã quá hạn khắc phục.",
    )


def _system_tables(doc, rows: list[overview.SystemGaps]) -> None:
    body_line(doc, "**II. Kết quả rà soát, đánh giá từng hệ thống**", indent=False)
    if not rows:
        body_line(doc, "Đơn vị chưa có hệ thống thông tin nào trong danh mục.")
    for n, r in enumerate(rows, 1):
        body_line(doc, _system_line(n, r), indent=False)
        if r.assessment is None:
            continue
        if not r.gaps:
            body_line(doc, "Không có nội dung chưa đạt.")
            continue
        data_table(
            doc,
            REPORT_COLUMNS,
            [
                [
                    str(i),
                    item.requirement.ref_id,
                    item.requirement.title,
                    STATUS_VI[item.status],
                    item.gap_owner,
                    _fmt(item.gap_due),
                ]
                for i, item in enumerate(r.gaps, 1)
            ],
            REPORT_WIDTHS,
        )


def gap_report_docx(
    unit: Unit,
    systems: QuerySet[InformationSystem],
    assessments: QuerySet[Assessment],
    *,
    today: dt.date,
    city: Unit | None,
) -> bytes:
    """The unit's report: a summary, then each system with a table of its gaps.

    `systems` are the unit's systems (and its sub-units') the reader may see.
    """
    rows, _top = overview.system_gaps(systems, assessments)
    head = unit_letterhead(unit, city)
    doc = new_document()
    header(doc, head, reference="     /BC", subject="", date=today)
    para(doc, "BÁO CÁO", size=14, bold=True)
    para(doc, REPORT_TITLE, size=14, bold=True)
    body_line(
        doc,
        "Thực hiện quy định về bảo đảm an toàn hệ thống thông tin theo cấp độ, "
        f"{unit.name} báo cáo kết quả rà soát, đánh giá các hệ thống thông tin do đơn vị "
        "vận hành như sau:",
    )
    _summary(doc, rows, today)
    _system_tables(doc, rows)
    body_line(doc, "**III. Kế hoạch khắc phục, đề xuất, kiến nghị**", indent=False)
    body_line(
        doc,
        "Đơn vị tổ chức khắc phục các nội dung chưa đạt theo thời hạn nêu trên; các nội dung "
        "quá hạn được ưu tiên xử lý và báo cáo kết quả kèm bằng chứng.",
    )
    footer(doc, head, REPORT_COPIES)
    return to_bytes(doc)
