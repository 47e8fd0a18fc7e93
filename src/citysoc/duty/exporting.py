"""The duty log of a period as the official record: DOCX (Decree 30 layout) and PDF.

Both documents carry the same content, built once by `log_book()`: the unit's letterhead,
the title "SỔ NHẬT KÝ TRỰC", every entry in time order, then every handover. They are
Vietnamese whatever the reader's UI language, because they are the city's record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from fpdf import FPDF

from citysoc.core.letterhead import Letterhead, letterhead_for
from citysoc.core.models import Unit
from citysoc.duty import logbook
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
from citysoc.lib.official_document.pdf import line, new_pdf

ENTRY_COLUMNS = ["TT", "Thời gian", "Người trực", "Nội dung kiểm tra", "Tình hình", "Xử lý"]
ENTRY_WIDTHS_CM = (1.0, 2.4, 2.8, 3.6, 3.4, 3.3)
ENTRY_WIDTHS_MM = (9, 22, 28, 37, 35, 34)
HANDOVER_COLUMNS = ["TT", "Thời gian", "Người giao ca", "Người nhận ca", "Nội dung", "Xác nhận"]
HANDOVER_WIDTHS_CM = (1.0, 2.4, 2.8, 2.8, 4.4, 3.1)
HANDOVER_WIDTHS_MM = (9, 22, 28, 28, 44, 34)
COPIES = "Lưu: VT."


@dataclass
class LogBook:
    unit: Unit
    first: dt.date
    last: dt.date
    today: dt.date
    letterhead: Letterhead
    entries: list[list[str]]
    handovers: list[list[str]]

    @property
    def title(self) -> str:
        return f"Từ ngày {self.first:%d/%m/%Y} đến ngày {self.last:%d/%m/%Y}"


def _when(t: dt.datetime | None) -> str:
    return timezone.localtime(t).strftime("%H:%M %d/%m/%Y") if t else ""


def _letterhead(unit: Unit) -> Letterhead:
    if unit.parent is None:
        return letterhead_for(unit)
    # The place in the date line is the city's: the root of the unit's path "/1/7/".
    head = letterhead_for(Unit.objects.filter(path=f"/{unit.path.split('/')[1]}/").first())
    head.issuing_body = f"{unit.parent.name.upper()}\n{unit.name.upper()}"
    head.signer_title = "NGƯỜI LẬP SỔ"
    return head


def log_book(unit: Unit, entries: QuerySet, handovers: QuerySet, first: dt.date, last: dt.date):
    """The content of the log for `unit` from `first` to `last` (the querysets are already
    limited to what the reader may see)."""
    entries = logbook.in_period(entries.filter(unit=unit), first, last).select_related("person")
    handovers = logbook.in_period(handovers.filter(unit=unit), first, last).select_related(
        "from_person", "to_person"
    )
    return LogBook(
        unit=unit,
        first=first,
        last=last,
        today=timezone.localdate(),
        letterhead=_letterhead(unit),
        entries=[
            [str(n), _when(e.at), e.person.full_name if e.person else "", e.checked, e.seen, e.done]
            for n, e in enumerate(entries.order_by("at", "pk"), 1)
        ],
        handovers=[
            [
                str(n),
                _when(h.at),
                h.from_person.full_name,
                h.to_person.full_name,
                h.note,
                f"Đã nhận {_when(h.acknowledged_at)}" if h.acknowledged_at else "Chưa xác nhận",
            ]
            for n, h in enumerate(handovers.order_by("at", "pk"), 1)
        ],
    )


def log_docx(book: LogBook) -> bytes:
    doc = new_document()
    header(doc, book.letterhead, reference="     /SNKT", subject="", date=book.today)
    para(doc, "SỔ NHẬT KÝ TRỰC", size=14, bold=True)
    para(doc, "bảo đảm an toàn thông tin mạng", size=14, bold=True)
    para(doc, book.title, size=13, italic=True)
    body_line(doc, f"**I. Nhật ký trực của {book.unit.name}**", indent=False)
    if book.entries:
        data_table(doc, ENTRY_COLUMNS, book.entries, ENTRY_WIDTHS_CM)
    else:
        body_line(doc, "Không có nội dung ghi nhật ký trong thời gian này.")
    body_line(doc, "**II. Bàn giao ca trực**", indent=False)
    if book.handovers:
        data_table(doc, HANDOVER_COLUMNS, book.handovers, HANDOVER_WIDTHS_CM)
    else:
        body_line(doc, "Không có biên bản bàn giao ca trong thời gian này.")
    footer(doc, book.letterhead, COPIES)
    return to_bytes(doc)


def _pdf_table(pdf: FPDF, heading: str, columns, rows, widths, empty: str) -> None:
    pdf.ln(3)
    pdf.set_font("serif", "B", 13)
    line(pdf, 0, 7, heading)
    if not rows:
        pdf.set_font("serif", "", 12)
        line(pdf, 0, 6, empty)
        return
    pdf.set_font("serif", "", 10)
    with pdf.table(col_widths=widths, line_height=5, align="LEFT", width=sum(widths)) as table:
        for values in [columns, *rows]:
            row = table.row()
            for value in values:
                row.cell(value)


def log_pdf(book: LogBook) -> bytes:
    pdf = new_pdf()
    head = book.letterhead
    pdf_header(
        pdf, issuing_body=head.issuing_body, place=head.place, date=book.today, reference=None
    )
    pdf.set_font("serif", "B", 14)
    line(pdf, 0, 7, "SỔ NHẬT KÝ TRỰC", align="C")
    line(pdf, 0, 7, "bảo đảm an toàn thông tin mạng", align="C")
    pdf.set_font("serif", "I", 13)
    line(pdf, 0, 7, book.title, align="C")
    _pdf_table(
        pdf,
        f"I. Nhật ký trực của {book.unit.name}",
        ENTRY_COLUMNS,
        book.entries,
        ENTRY_WIDTHS_MM,
        "Không có nội dung ghi nhật ký trong thời gian này.",
    )
    _pdf_table(
        pdf,
        "II. Bàn giao ca trực",
        HANDOVER_COLUMNS,
        book.handovers,
        HANDOVER_WIDTHS_MM,
        "Không có biên bản bàn giao ca trong thời gian này.",
    )
    return bytes(pdf.output())
