"""Botnet clean-up exports: the tasks as an XLSX workbook, and the results report as DOCX.

Both take a queryset the caller already limited to what the user may see (tenancy is the
view's job), so a unit's copy holds only its own tasks. The report uses the Decree
30/2020 layout of `lib/official_document/docx.py` (header blocks, title, body, "Nơi nhận"
and the signature block) and is always in Vietnamese: it is an official document.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from citysoc.core.letterhead import letterhead_for
from citysoc.core.models import Unit
from citysoc.intel import overview
from citysoc.intel.models import CleanupTask, ListVersion, Sighting
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
from citysoc.lib.official_document.words import report_copies

STATUS_VI = {
    "open": "Chưa xử lý",
    "in_progress": "Đang xử lý",
    "cleaned": "Đã xử lý, chờ xác minh",
    "verified": "Đã xác minh sạch",
    "reopened": "Tái nhiễm, xử lý lại",
}
PRIORITY_VI = {1: "P1 - Khẩn cấp", 2: "P2 - Cao", 3: "P3 - Trung bình", 4: "P4 - Thấp"}
TASK_COLUMNS = [
    "Đơn vị",
    "Mã đơn vị",
    "Địa chỉ IP",
    "Máy",
    "Họ mã độc",
    "Mức ưu tiên",
    "Lý do ưu tiên",
    "Trạng thái",
    "Hạn xử lý",
    "Quá hạn",
    "Công cụ",
    "Kết quả xử lý",
    "Ngày xử lý",
    "Ngày xác minh",
    "Số lần có trong danh sách",
]
SUMMARY_COLUMNS = [
    "Đơn vị",
    "Mã đơn vị",
    "Đang mở",
    "Quá hạn",
    "Chờ xác minh",
    "Đã xác minh",
    "Tái nhiễm",
    "Tổng số",
]
REPORT_COLUMNS = ["TT", "Địa chỉ IP", "Máy", "Họ mã độc", "Trạng thái", "Ngày xử lý", "Xác minh"]
# 16.5 cm of A4 text width; an IPv4 address must fit on one line.
REPORT_WIDTHS = [0.9, 3.4, 2.6, 2.4, 2.8, 2.2, 2.2]
BOLD = Font(bold=True)
LATE = Font(color="B3261E", bold=True)
HEAD_FILL = PatternFill("solid", fgColor="ECEEF2")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _date(value) -> dt.date | None:
    """The day in the city's time zone: a task cleaned at 01:00 on the 7th (18:00 UTC on the
    6th) was cleaned on the 7th."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _task_rows(tasks: QuerySet, today: dt.date):
    for t in tasks.select_related("unit", "host").order_by("unit__path", "priority", "ip"):
        yield [
            t.unit.name,
            t.unit.code,
            t.ip,
            t.host.hostname if t.host else "",
            t.family,
            PRIORITY_VI.get(t.priority, str(t.priority)),
            t.priority_reason,
            STATUS_VI.get(t.status, t.status),
            t.due_date,
            "x" if t.is_open and t.due_date < today else "",
            t.tool,
            t.findings,
            _date(t.cleaned_at),
            _date(t.verified_at),
            t.times_listed,
        ]


def _heading(ws, header: list[str]) -> None:
    ws.append(header)
    for cell in ws[1]:
        cell.font = BOLD
        cell.fill = HEAD_FILL
    ws.freeze_panes = "A2"


def tasks_xlsx(tasks: QuerySet, *, today: dt.date) -> bytes:
    """Two sheets: a summary per unit (worst first) and every task with its unit."""
    wb = Workbook()
    summary = wb.active
    summary.title = "Tổng hợp"
    _heading(summary, SUMMARY_COLUMNS)
    for r in overview.units_ranked(tasks):
        summary.append(
            [
                r["name"],
                r["unit"],
                r["open"],
                r["overdue"],
                r["cleaned"],
                r["verified"],
                r["reopened"],
                r["total"],
            ]
        )
        if r["overdue"]:
            summary.cell(row=summary.max_row, column=4).font = LATE
    for col, width in zip("ABCDEFGH", (40, 16, 10, 10, 14, 12, 10, 10), strict=True):
        summary.column_dimensions[col].width = width
    sheet = wb.create_sheet("Nhiệm vụ xử lý")
    _heading(sheet, TASK_COLUMNS)
    for row in _task_rows(tasks, today):
        sheet.append(row)
        for date_column in (9, 13, 14):
            sheet.cell(row=sheet.max_row, column=date_column).number_format = "DD/MM/YYYY"
        if row[9]:
            sheet.cell(row=sheet.max_row, column=10).font = LATE
    widths = (36, 14, 16, 18, 14, 16, 40, 22, 12, 8, 24, 40, 12, 12, 10)
    for i, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    out = io.BytesIO()
    defuse_workbook(wb)  # task notes and hostnames are typed by units, families by feeds
    wb.save(out)
    return out.getvalue()


# ---- the DOCX report ------------------------------------------------------------------


@dataclass
class ReportFacts:
    """The figures of the summary paragraph, computed once from the visible rows."""

    version_label: str
    listed: int
    units: int
    opened: int
    cleaned: int
    verified: int
    overdue: int


def report_tasks(tasks: QuerySet, version: ListVersion | None) -> QuerySet:
    """The tasks a report on `version` covers: those of its source (every task if None)."""
    if version is None:
        return tasks
    source = version.source_id
    return tasks.filter(
        Q(opened_by_version__source_id=source) | Q(last_seen_version__source_id=source)
    )


def _facts(
    tasks: QuerySet, version: ListVersion | None, sightings: QuerySet, today: dt.date
) -> ReportFacts:
    open_q = Q(status__in=CleanupTask.OPEN_STATES)
    if version is not None:
        sightings = sightings.filter(version=version)
    return ReportFacts(
        version_label=str(version) if version else "tất cả các danh sách",
        listed=version.indicator_count if version else 0,
        units=sightings.values("unit").distinct().count(),
        opened=tasks.count(),
        cleaned=tasks.filter(status=CleanupTask.Status.CLEANED).count(),
        verified=tasks.filter(status=CleanupTask.Status.VERIFIED).count(),
        overdue=tasks.filter(open_q, due_date__lt=today).count(),
    )


def _summary(doc, facts: ReportFacts, today: dt.date) -> None:
    body_line(doc, "**I. Tổng hợp chung**", indent=False)
    listed = f", gồm {facts.listed} địa chỉ" if facts.listed else ""
    body_line(
        doc,
        f"Danh sách địa chỉ IP botnet: {facts.version_label}{listed}. "
        f"Số đơn vị có địa chỉ trong danh sách: {facts.units}.",
    )
    body_line(
        doc,
        f"Đến ngày {today:%d/%m/%Y}: đã giao {facts.opened} nhiệm vụ xử lý; "
        f"{facts.cleaned} địa chỉ đã xử lý, chờ xác minh; {facts.verified} địa chỉ đã xác minh "
        f"sạch; {facts.overdue} nhiệm vụ quá hạn chưa xử lý.",
    )


def _fmt(value) -> str:
    day = _date(value)
    return day.strftime("%d/%m/%Y") if day else ""


def _unit_tables(doc, tasks: QuerySet) -> None:
    body_line(doc, "**II. Kết quả xử lý của từng đơn vị**", indent=False)
    by_unit: dict[int, list[CleanupTask]] = {}
    for t in tasks.select_related("unit", "host").order_by("unit__path", "ip"):
        by_unit.setdefault(t.unit_id, []).append(t)
    if not by_unit:
        body_line(doc, "Không có đơn vị nào có địa chỉ cần xử lý.")
    for n, rows in enumerate(by_unit.values(), 1):
        body_line(doc, f"**{n}. {rows[0].unit.name}** ({len(rows)} địa chỉ)", indent=False)
        data_table(
            doc,
            REPORT_COLUMNS,
            [
                [
                    str(i),
                    t.ip,
                    t.host.hostname if t.host else "",
                    t.family,
                    STATUS_VI.get(t.status, t.status),
                    _fmt(t.cleaned_at),
                    _fmt(t.verified_at) or "Chưa",
                ]
                for i, t in enumerate(rows, 1)
            ],
            REPORT_WIDTHS,
        )


def report_docx(
    tasks: QuerySet,
    *,
    version: ListVersion | None,
    sightings: QuerySet,
    today: dt.date,
    city: Unit | None,
) -> bytes:
    """'Báo cáo kết quả xử lý địa chỉ IP botnet' as DOCX bytes.

    `tasks` and `sightings` are already limited to what the reader may see.
    """
    tasks = report_tasks(tasks, version)
    head = letterhead_for(city)
    doc = new_document()
    header(doc, head, reference="     /BC-TTGSATTT", subject="", date=today)
    para(doc, "BÁO CÁO", size=14, bold=True)
    para(doc, "Kết quả xử lý địa chỉ IP botnet", size=14, bold=True)
    body_line(
        doc,
        "Thực hiện việc rà soát, xử lý các địa chỉ IP của các cơ quan, đơn vị có trong danh "
        "sách địa chỉ IP botnet do cơ quan chức năng cung cấp, kết quả như sau:",
    )
    _summary(doc, _facts(tasks, version, sightings, today), today)
    _unit_tables(doc, tasks)
    body_line(doc, "**III. Đề xuất, kiến nghị**", indent=False)
    body_line(
        doc,
        "Đề nghị các đơn vị còn địa chỉ chưa xử lý hoặc quá hạn khẩn trương rà quét, gỡ bỏ mã "
        "độc và báo cáo kết quả kèm minh chứng.",
    )
    footer(doc, head, report_copies(today, "Các đơn vị có tên trong báo cáo;"))
    return to_bytes(doc)


def visible_sightings(sightings: QuerySet) -> QuerySet:
    """Only sightings of the list itself count units 'on the list' (log ones are separate)."""
    return sightings.filter(via=Sighting.Via.LIST)
