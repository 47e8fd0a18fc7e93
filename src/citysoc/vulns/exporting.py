"""Vulnerability exports: a unit's findings as XLSX, and its report as DOCX (Decree 30).

Both take querysets the caller already limited to what the user may see. The report is
always in Vietnamese (an official document, "Báo cáo tình hình rà soát, khắc phục lỗ hổng
bảo mật"), in the layout of `lib/official_document/docx.py`: header with the motto and the date,
a summary, one table of the known-exploited and overdue findings, the plan, the footer.
"""

from __future__ import annotations

import datetime as dt
import io

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from citysoc.compliance.exporting import (
    DOCX_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    unit_letterhead,
)
from citysoc.core.models import Unit
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
from citysoc.vulns import figures
from citysoc.vulns.models import Finding

__all__ = ["DOCX_CONTENT_TYPE", "XLSX_CONTENT_TYPE", "findings_xlsx", "unit_report_docx"]

SEVERITY_VI: dict[str, str] = {
    "critical": "Rất cao",
    "high": "Cao",
    "medium": "Trung bình",
    "low": "Thấp",
    "info": "Thông tin",
}
STATUS_VI: dict[str, str] = {
    Finding.Status.OPEN: "Chưa khắc phục",
    Finding.Status.REOPENED: "Xuất hiện lại",
    Finding.Status.FIXED: "Đã khắc phục, chờ quét xác minh",
    Finding.Status.MITIGATED: "Đã khắc phục (quét xác nhận)",
    Finding.Status.ACCEPTED: "Chấp nhận rủi ro",
    Finding.Status.FALSE_POSITIVE: "Cảnh báo sai",
}
COLUMNS = [
    "Đơn vị",
    "Hệ thống thông tin",
    "Cấp độ",
    "Địa chỉ",
    "Cổng",
    "Lỗ hổng",
    "CVE",
    "Mức độ",
    "CVSS",
    "KEV",
    "Dùng trong mã độc tống tiền",
    "EPSS",
    "Trạng thái",
    "Người xử lý",
    "Phát hiện lần đầu",
    "Lần gần nhất",
    "Hạn khắc phục",
    "Quá hạn",
    "Công cụ",
]
WIDTHS = [28, 28, 7, 18, 7, 50, 22, 12, 7, 6, 10, 8, 24, 22, 12, 12, 12, 8, 10]
BOLD = Font(bold=True)
LATE = Font(color="B3261E", bold=True)
HEAD_FILL = PatternFill("solid", fgColor="ECEEF2")
REPORT_TITLE = "Tình hình rà soát, khắc phục lỗ hổng bảo mật hệ thống thông tin"
REPORT_COPIES = "Trung tâm Giám sát an toàn thông tin thành phố (b/c);\nLưu: VT."
REPORT_COLUMNS = ["TT", "Hệ thống / địa chỉ", "Lỗ hổng", "Mức độ", "Trạng thái", "Hạn"]
REPORT_WIDTHS = [0.9, 3.6, 6.2, 1.9, 2.2, 2.2]
MAX_REPORT_ROWS = 200


def _local(value: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localtime(value).date()


def findings_xlsx(findings: QuerySet[Finding], *, today: dt.date) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Lỗ hổng"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font, cell.fill = BOLD, HEAD_FILL
    sheet.freeze_panes = "A2"
    for i, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = width
    rows = findings.select_related("unit", "system", "assignee").order_by(
        "unit__path", "-kev", "due_date", "pk"
    )
    for f in rows.iterator(chunk_size=2000):
        late = f.is_overdue(today)
        sheet.append(
            [
                f.unit.name,
                f.system.name if f.system else "",
                f.system.security_level if f.system else None,
                f.address,
                f.port,
                f.title,
                ", ".join(f.cves),
                SEVERITY_VI.get(f.severity, f.severity),
                float(f.cvss) if f.cvss is not None else None,
                "x" if f.kev else "",
                "x" if f.kev_ransomware else "",
                f.epss,
                STATUS_VI.get(f.status, f.status),
                f.assignee.full_name if f.assignee else "",
                _local(f.first_seen),
                _local(f.last_seen),
                f.due_date,
                "x" if late else "",
                f.tool,
            ]
        )
        for col in (15, 16, 17):
            sheet.cell(row=sheet.max_row, column=col).number_format = "DD/MM/YYYY"
        if late:
            sheet.cell(row=sheet.max_row, column=18).font = LATE
    defuse_workbook(wb)  # titles, addresses and names come from scanners and units
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _fmt(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _summary_lines(s: figures.Summary, today: dt.date) -> list[str]:
    sev = ", ".join(f"{SEVERITY_VI[k].lower()} {v}" for k, v in s.by_severity.items() if v)
    return [
        f"Đến ngày {today:%d/%m/%Y}, các hệ thống thông tin của đơn vị còn {s.active} lỗ hổng "
        f"chưa được xác nhận khắc phục ({sev or 'không có'}); trong đó {s.kev} lỗ hổng thuộc "
        f"danh mục lỗ hổng đang bị khai thác (CISA KEV), {s.overdue} lỗ hổng đã quá hạn khắc "
        f"phục ({s.overdue_kev} lỗ hổng KEV quá hạn).",
        f"Đã khắc phục và được lần quét sau xác nhận: {s.mitigated}; đã khắc phục, chờ quét "
        f"xác minh: {s.fixed_waiting}; chấp nhận rủi ro có thời hạn: {s.accepted}; cảnh báo "
        f"sai: {s.false_positive}.",
    ]


def _row(n: int, f: Finding) -> list[str]:
    where = f.system.name if f.system else ""
    where = f"{where}\n{f.address}" if where else f.address
    title = f.title + (" [KEV]" if f.kev else "")
    return [
        str(n),
        where,
        title,
        SEVERITY_VI.get(f.severity, f.severity),
        STATUS_VI.get(f.status, f.status),
        _fmt(f.due_date),
    ]


def unit_report_docx(
    unit: Unit, findings: QuerySet[Finding], *, today: dt.date, city: Unit | None
) -> bytes:
    """`findings` are the unit's (and its sub-units') findings the reader may see."""
    head = unit_letterhead(unit, city)
    s = figures.summary(findings, today)
    doc = new_document()
    header(doc, head, reference="     /BC", subject="", date=today)
    para(doc, "BÁO CÁO", size=14, bold=True)
    para(doc, REPORT_TITLE, size=14, bold=True)
    body_line(
        doc,
        "Thực hiện yêu cầu chủ động rà soát, khắc phục triệt để các lỗ hổng, điểm yếu của hệ "
        f"thống thông tin thuộc phạm vi quản lý, {unit.name} báo cáo như sau:",
    )
    body_line(doc, "**I. Tổng hợp chung**", indent=False)
    for line in _summary_lines(s, today):
        body_line(doc, line)
    body_line(
        doc,
        "**II. Lỗ hổng đang bị khai thác, mức rất cao và quá hạn chưa khắc phục**",
        indent=False,
    )
    urgent = (
        findings.filter(status__in=Finding.ACTIVE)
        .filter(_urgent(today))
        .select_related("system")
        .order_by("-kev", "due_date", "pk")
    )
    rows = [_row(n, f) for n, f in enumerate(urgent[:MAX_REPORT_ROWS], 1)]
    if rows:
        data_table(doc, REPORT_COLUMNS, rows, REPORT_WIDTHS)
    else:
        body_line(doc, "Không có lỗ hổng đang bị khai thác, mức rất cao hoặc quá hạn.")
    body_line(doc, "**III. Kế hoạch khắc phục, đề xuất, kiến nghị**", indent=False)
    body_line(
        doc,
        "Đơn vị ưu tiên khắc phục các lỗ hổng thuộc danh mục KEV và các lỗ hổng quá hạn; kết "
        "quả khắc phục được xác minh bằng lần rà soát, quét lỗ hổng tiếp theo.",
    )
    footer(doc, head, REPORT_COPIES)
    return to_bytes(doc)


def _urgent(today: dt.date):
    from django.db.models import Q

    return Q(kev=True) | Q(severity="critical") | Q(due_date__lt=today)
