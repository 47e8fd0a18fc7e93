"""An official document as PDF, drawn with fpdf2 (pure Python, works offline): A4 with the
Decree 30 margins, a serif font with every Vietnamese letter, lines, rules and tables.

Times New Roman is not free to ship. Liberation Serif 2 has its metrics and the
Vietnamese letters; Debian's older Liberation 1 lacks them (ổ, ợ, ị… would silently
vanish), so each candidate is checked for those letters and DejaVu Serif is the fallback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont
from fpdf import FPDF

from citysoc.lib.official_document.words import MOTTO, MOTTO_2, vietnamese_date

VIETNAMESE_PROBE = "ẠẢẤẦẨẪẬắằẳẵặẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸĐđƠơƯư"
LIBERATION = {"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}
DEJAVU = {"": "", "B": "-Bold", "I": "-Italic", "BI": "-BoldItalic"}
FONT_SETS = [
    ("/usr/share/fonts/truetype/liberation2", "LiberationSerif-{}.ttf", LIBERATION),
    ("/usr/share/fonts/truetype/liberation", "LiberationSerif-{}.ttf", LIBERATION),
    ("/usr/share/fonts/truetype/dejavu", "DejaVuSerif{}.ttf", DEJAVU),
]
ISSUER_WIDTH = 60  # mm: the issuing body's column of the header; the motto has the rest
SIGNATURE_AT = 75  # mm from the left margin: where the signature block starts


class FontMissing(RuntimeError):
    """No serif font with Vietnamese glyphs was found."""


def covers_vietnamese(path: Path) -> bool:
    cmap = TTFont(str(path), lazy=True).getBestCmap()
    return all(ord(c) in cmap for c in VIETNAMESE_PROBE)


@cache
def serif_fonts() -> dict[str, Path]:
    """The four styles of the first installed serif font that has every Vietnamese letter."""
    for folder, pattern, styles in FONT_SETS:
        files = {style: Path(folder) / pattern.format(name) for style, name in styles.items()}
        if all(f.exists() for f in files.values()) and covers_vietnamese(files[""]):
            return files
    raise FontMissing(
        "no serif font with every Vietnamese letter: install Debian's fonts-dejavu-core "
        "(or fonts-liberation2) to write PDF reports"
    )


def add_fonts(pdf: FPDF) -> None:
    """The serif font as family "serif" in its four styles (FontMissing if there is none)."""
    for style, path in serif_fonts().items():
        pdf.add_font("serif", style, str(path))


def new_pdf() -> FPDF:
    """An A4 document with the Decree 30 margins and the serif font, its first page open."""
    pdf = FPDF(format="A4")
    pdf.set_margins(left=30, top=20, right=15)
    pdf.set_auto_page_break(auto=True, margin=20)
    add_fonts(pdf)
    pdf.add_page()
    return pdf


def line(pdf: FPDF, width: float, height: float, text: str, **kwargs: Any) -> None:
    """`text` in a cell `width` wide (0: to the right margin), the cursor then on the next line."""
    # fpdf2 leaves the cursor right of a cell by default; a report reads line by line.
    pdf.multi_cell(width, height, text, new_x="LMARGIN", new_y="NEXT", **kwargs)


def rule(pdf: FPDF, centre: float, width: float) -> None:
    """The short line Decree 30 draws under the issuing body and under the motto."""
    y = pdf.get_y() + 1.2
    pdf.set_line_width(0.3)
    pdf.line(centre - width / 2, y, centre + width / 2, y)
    pdf.set_y(y + 1.8)


def heading(pdf: FPDF, text: str, *, keep_with: float) -> None:
    """A section heading that moves to the next page rather than sit alone at the foot."""
    if pdf.will_page_break(7 + keep_with):
        pdf.add_page()
    pdf.set_font("serif", "B", 13)
    line(pdf, 0, 7, text)


def table(
    pdf: FPDF,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: tuple[float, ...],
) -> None:
    """A section heading, then a bordered table whose second column holds text (an item, a
    unit's name) and whose other columns are numbers; `widths` in mm."""
    pdf.ln(3)
    heading(pdf, title, keep_with=30)
    pdf.set_font("serif", "", 10)
    align = ("CENTER", "LEFT", *["CENTER"] * (len(header) - 2))
    # fpdf2 centres a table on the page, not between the margins: pin it to the left one.
    with pdf.table(
        col_widths=widths, text_align=align, line_height=5, align="LEFT", width=sum(widths)
    ) as drawn:
        for values in [header, *rows]:
            row = drawn.row()
            for value in values:
                row.cell(value)


def header(
    pdf: FPDF, *, issuing_body: str, place: str, date: dt.date | None, reference: str | None
) -> None:
    """The Decree 30 header: the issuing body (upper case), its rule and "Số: `reference`"
    (when there is one) left; the national motto, its rule, the place and date right."""
    top, left = pdf.get_y(), ISSUER_WIDTH
    pdf.set_font("serif", "B", 12)
    line(pdf, left, 5.5, "\n".join(part.upper() for part in issuing_body.splitlines()), align="C")
    rule(pdf, pdf.l_margin + left / 2, 20)
    if reference is not None:
        pdf.set_font("serif", "", 12)
        line(pdf, left, 6, f"Số: {reference}", align="C")
    bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + left, top)
    pdf.set_font("serif", "B", 11)
    line(pdf, 0, 5.5, MOTTO, align="C")
    pdf.set_x(pdf.l_margin + left)
    pdf.set_font("serif", "B", 13)
    line(pdf, 0, 6, MOTTO_2, align="C")
    rule(pdf, pdf.l_margin + left + (pdf.epw - left) / 2, pdf.get_string_width(MOTTO_2))
    pdf.set_x(pdf.l_margin + left)
    pdf.set_font("serif", "I", 13)
    line(pdf, 0, 8, vietnamese_date(place, date), align="C")
    pdf.set_y(max(bottom, pdf.get_y()) + 6)


def footer(
    pdf: FPDF, copies: Sequence[str], signature_lines: Sequence[str], signer_name: str
) -> None:
    """ "Nơi nhận" left and the signature block right (titles in upper case, room for the
    signature and the seal, the signer's name), never split over two pages."""
    if pdf.will_page_break(55):
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_font("serif", "BI", 12)
    line(pdf, SIGNATURE_AT, 6, "Nơi nhận:")
    pdf.set_font("serif", "", 11)
    for copy in copies:
        line(pdf, SIGNATURE_AT, 5.5, f"- {copy}")
    after_copies = pdf.get_y()
    pdf.set_xy(pdf.l_margin + SIGNATURE_AT, top)
    pdf.set_font("serif", "B", 13)
    for title in signature_lines:
        pdf.set_x(pdf.l_margin + SIGNATURE_AT)
        line(pdf, 0, 6, title.upper(), align="C")
    pdf.ln(22)
    pdf.set_x(pdf.l_margin + SIGNATURE_AT)
    line(pdf, 0, 6, signer_name, align="C")
    pdf.set_y(max(after_copies, pdf.get_y()))
