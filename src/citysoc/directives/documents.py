"""The directive as a Word document in the layout of Decree 30/2020/NĐ-CP, Appendix I.

A4, Times New Roman 13-14 pt, margins 20/20/30/15 mm; a two-column header (issuing body,
number and "V/v" subject on the left; national motto, place and date on the right),
"Kính gửi", the body, then "Nơi nhận" beside the signature block.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Protocol

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from citysoc.directives.models import Directive
from citysoc.lib import bodies


class Letterhead(Protocol):
    """What the header and signature blocks read: a Directive, or a report's letterhead."""

    @property
    def issuing_body(self) -> str: ...
    @property
    def place(self) -> str: ...
    @property
    def signer_name(self) -> str: ...
    def signature_lines(self) -> list[str]: ...


FONT = "Times New Roman"
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
BOLD = re.compile(r"\*\*(.+?)\*\*")
CITES_BASES = {Directive.Type.KE_HOACH, Directive.Type.QUYET_DINH, Directive.Type.CHI_THI}


def vietnamese_date(place: str, date: dt.date | None, year: int | None = None) -> str:
    """'Tam Điệp, ngày 05 tháng 01 năm 2025' — a zero before days under 10 and months 1-2."""
    if date is None:
        return f"{place}, ngày     tháng     năm {year or ''}".rstrip()
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return f"{place}, ngày {date.day:02d} tháng {month} năm {date.year}"


def _run(paragraph, text: str, *, size: float = 13, bold=False, italic=False) -> None:
    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic


def para(container, text: str = "", *, align=WD_ALIGN_PARAGRAPH.CENTER, **style):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    if text:
        _run(paragraph, text, **style)
    return paragraph


def _cell(table, row: int, col: int):
    cell = table.cell(row, col)
    cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    return cell


def _two_columns(doc, left_width, right_width):
    """A borderless two-column table; widths go on the grid too, which LibreOffice reads."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, (left_width, right_width), strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    return _cell(table, 0, 0), _cell(table, 0, 1)


def header(doc, d: Letterhead, *, reference: str, subject: str, date: dt.date | None) -> None:
    """The Decree 30 header: issuing body and number left, national motto and date right.

    `d` is any object with `issuing_body`, `place` (a Directive, or the intel report's
    letterhead): other documents of the city reuse this layout.
    """
    # The text block is 165 mm wide (A4 less 30 mm left and 15 mm right margins).
    left, right = _two_columns(doc, Cm(6), Cm(10.5))
    for line in d.issuing_body.splitlines() or [""]:
        para(left, line.upper(), size=13, bold=True)
    para(left, "———", size=9)
    para(left, f"Số: {reference}", size=13)
    if subject:
        para(left, subject, size=12)
    para(right, MOTTO, size=12, bold=True)
    para(right, MOTTO_2, size=13, bold=True)
    para(right, "———————————", size=9)
    year = date.year if date else None
    para(right, vietnamese_date(d.place, date, year), size=13, italic=True)


def body_line(doc, line: str, *, indent: bool = True) -> None:
    paragraph = para(doc, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    paragraph.paragraph_format.first_line_indent = Cm(1.27) if indent else None
    paragraph.paragraph_format.space_before = Pt(6)
    # Markdown is kept to what letters use: paragraphs, "- " lines and **bold**.
    pos = 0
    for match in BOLD.finditer(line):
        _run(paragraph, line[pos : match.start()], size=14)
        _run(paragraph, match.group(1), size=14, bold=True)
        pos = match.end()
    _run(paragraph, line[pos:], size=14)


def _content(doc, d: Directive) -> None:
    addressees = [a for a in d.addressees.splitlines() if a.strip()]
    # "Kính gửi:" sits left of a block of recipients, both indented towards the centre.
    kg = para(doc, align=WD_ALIGN_PARAGRAPH.LEFT)
    kg.paragraph_format.space_before = Pt(12)
    kg.paragraph_format.left_indent = Cm(2)
    _run(kg, "Kính gửi:", size=14)
    for line in addressees:
        p = para(doc, f"- {line.strip()}", align=WD_ALIGN_PARAGRAPH.LEFT, size=14)
        p.paragraph_format.left_indent = Cm(4)
    # A plan or a decision opens with its legal bases, one "Căn cứ …;" line each; a
    # letter (công văn) names what it implements in its first sentence instead.
    if d.doc_type in CITES_BASES:
        for basis in d.legal_bases.splitlines():
            if basis.strip():
                body_line(doc, f"Căn cứ {basis.strip().removeprefix('Căn cứ ').rstrip(';.')};")
    for block in re.split(r"\n\s*\n", d.body.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and all(line.startswith("- ") for line in lines):
            for line in lines:  # a "- " list keeps one paragraph per line
                body_line(doc, line)
        elif lines:
            body_line(doc, " ".join(lines))
    section = None
    for item in d.items.all():
        if item.section and item.section != section:
            section = item.section
            body_line(doc, f"**{section}**")
        body_line(doc, f"- {item.text}")
    if d.report_by:
        body_line(doc, report_back_sentence(d.report_by))


def report_back_sentence(day: dt.date) -> str:
    """The closing request every directive makes: the date units report back by."""
    return (
        "Đề nghị các cơ quan, đơn vị triển khai thực hiện và báo cáo kết quả trước ngày "
        f"{day:%d/%m/%Y}."
    )


def _cannot_split(row) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def report_copies(on: dt.date, *extra: str) -> str:
    """ "Nơi nhận" of a report sent upward on `on`: the provincial body for network
    information security in force that day (b/c), then `extra` lines, then the archive."""
    upward = bodies.in_force("provincial_security", on).short
    return "\n".join([f"{upward} (b/c);", *extra, "Lưu: VT."])


def footer(doc, d: Letterhead, copies_to: str) -> None:
    """ "Nơi nhận" left and the signature block right (`d.signature_lines()`, `signer_name`).

    The block is one row that cannot split, and the last paragraph of the text is kept with
    it: a page never holds the signature alone.
    """
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    doc.add_paragraph().paragraph_format.keep_with_next = True
    left, right = _two_columns(doc, Cm(8), Cm(8.5))
    _cannot_split(doc.tables[-1].rows[0])
    para(left, "Nơi nhận:", align=WD_ALIGN_PARAGRAPH.LEFT, size=12, bold=True, italic=True)
    for line in copies_to.splitlines():
        if line.strip():
            para(left, f"- {line.strip()}", align=WD_ALIGN_PARAGRAPH.LEFT, size=11)
    for line in d.signature_lines():
        para(right, line.upper(), size=13, bold=True)
    for _ in range(4):  # room for the signature and the seal
        para(right)
    para(right, d.signer_name, size=14, bold=True)


def new_document():
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    doc.styles["Normal"].font.name = FONT
    doc.styles["Normal"].font.size = Pt(14)
    _page_numbers_from_page_two(section)
    return doc


def _page_numbers_from_page_two(section) -> None:
    """Decree 30/2020 layout: the page number centred in the top margin, from page 2 on
    (the first page keeps an empty header of its own)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # <w:fldSimple w:instr="PAGE"><w:r><w:t>2</w:t></w:r></w:fldSimple>: the reader fills in
    # the page's number; the "2" only shows in a reader that does not update fields.
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    shown = paragraph.add_run("2")
    shown.font.size = Pt(13)
    paragraph._p.remove(shown._r)
    field.append(shown._r)
    paragraph._p.append(field)


def to_bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def directive_docx(directive: Directive) -> bytes:
    """The directive as DOCX bytes."""
    doc = new_document()
    reference = directive.reference or "     /" + directive.symbol
    header(doc, directive, reference=reference, subject=directive.subject, date=directive.date)
    _content(doc, directive)
    footer(doc, directive, directive.copies_to)
    return to_bytes(doc)
