"""An official document as DOCX, in the layout of Decree 30/2020/NĐ-CP, Appendix I.

A4, Times New Roman 13-14 pt, margins 20/20/30/15 mm, page numbers from page two; a
two-column header (issuing body, number and "V/v" subject on the left; national motto,
place and date on the right), body lines, bordered data tables, then "Nơi nhận" beside
the signature block.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import Protocol, TypeAlias

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Length, Mm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from citysoc.lib.official_document.words import MOTTO, MOTTO_2, vietnamese_date


class Issuer(Protocol):
    """What the header and signature blocks read: who issues the document, where, who signs
    (`core.letterhead.Letterhead`, a directive, an incident form's letterhead)."""

    @property
    def issuing_body(self) -> str: ...
    @property
    def place(self) -> str: ...
    @property
    def signer_name(self) -> str: ...
    def signature_lines(self) -> list[str]: ...


FONT = "Times New Roman"
BOLD = re.compile(r"\*\*(.+?)\*\*")
# What paragraphs are added to: the document's body or a table cell.
Container: TypeAlias = DocumentObject | _Cell


def run(
    paragraph: Paragraph, text: str, *, size: float = 13, bold: bool = False, italic: bool = False
) -> None:
    """Add `text` to `paragraph` in the document's font."""
    r = paragraph.add_run(text)
    r.font.name = FONT
    r.font.size = Pt(size)
    r.bold = bold
    r.italic = italic


def para(
    container: Container,
    text: str = "",
    *,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    size: float = 13,
    bold: bool = False,
    italic: bool = False,
) -> Paragraph:
    """A paragraph with no space after it, holding `text` (if any) in the document's font."""
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    if text:
        run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _cell(table: Table, row: int, col: int) -> _Cell:
    cell = table.cell(row, col)
    cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    return cell


def _two_columns(
    doc: DocumentObject, left_width: Length, right_width: Length
) -> tuple[_Cell, _Cell]:
    """A borderless two-column table; widths go on the grid too, which LibreOffice reads."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, (left_width, right_width), strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    return _cell(table, 0, 0), _cell(table, 0, 1)


def header(
    doc: DocumentObject, d: Issuer, *, reference: str, subject: str, date: dt.date | None
) -> None:
    """The Decree 30 header: issuing body and number left, national motto and date right."""
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


def body_line(doc: DocumentObject, line: str, *, indent: bool = True) -> None:
    """A justified body paragraph in 14 pt, `**bold**` kept; indented unless `indent=False`."""
    paragraph = para(doc, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    paragraph.paragraph_format.first_line_indent = Cm(1.27) if indent else None
    paragraph.paragraph_format.space_before = Pt(6)
    # Markdown is kept to what letters use: paragraphs, "- " lines and **bold**.
    pos = 0
    for match in BOLD.finditer(line):
        run(paragraph, line[pos : match.start()], size=14)
        run(paragraph, match.group(1), size=14, bold=True)
        pos = match.end()
    run(paragraph, line[pos:], size=14)


def data_table(
    doc: DocumentObject,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths_cm: Sequence[float] | None = None,
) -> None:
    """A bordered table with a bold header row; `widths_cm` fixes the column widths."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    if widths_cm:
        # Word and LibreOffice read the width from every cell, not from the column.
        table.autofit = False
        for column, width in zip(table.columns, widths_cm, strict=True):
            column.width = Cm(width)
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _fill(cell, text, bold=True)
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            _fill(cell, text)
    if widths_cm:
        for row in table.rows:
            for cell, width in zip(row.cells, widths_cm, strict=True):
                cell.width = Cm(width)


def _fill(cell: _Cell, text: str, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    run(paragraph, text, size=11, bold=bold)


def _cannot_split(row: _Row) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def footer(doc: DocumentObject, d: Issuer, copies_to: str) -> None:
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


def new_document() -> DocumentObject:
    """An empty A4 document with the Decree 30 margins, font and page numbers."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    doc.styles["Normal"].font.name = FONT
    doc.styles["Normal"].font.size = Pt(14)
    _page_numbers_from_page_two(section)
    return doc


def _page_numbers_from_page_two(section: Section) -> None:
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


def to_bytes(doc: DocumentObject) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
