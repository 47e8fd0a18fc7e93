"""The compiled results report as PDF, drawn with fpdf2 (pure Python, works offline).

Times New Roman is not free to ship. Liberation Serif 2 has its metrics and the
Vietnamese letters; Debian's older Liberation 1 lacks them (ổ, ợ, ị… would silently
vanish), so each candidate is checked for those letters and DejaVu Serif is the fallback.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF

from citysoc.directives.documents import MOTTO, MOTTO_2, report_copies, vietnamese_date
from citysoc.directives.report_documents import (
    ITEM_COLUMNS,
    UNIT_COLUMNS,
    _item_rows,
    _unit_rows,
    report_title,
    unit_lines,
)
from citysoc.directives.results import Results

VIETNAMESE_PROBE = "ẠẢẤẦẨẪẬắằẳẵặẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸĐđƠơƯư"
LIBERATION = {"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}
DEJAVU = {"": "", "B": "-Bold", "I": "-Italic", "BI": "-BoldItalic"}
FONT_SETS = [
    ("/usr/share/fonts/truetype/liberation2", "LiberationSerif-{}.ttf", LIBERATION),
    ("/usr/share/fonts/truetype/liberation", "LiberationSerif-{}.ttf", LIBERATION),
    ("/usr/share/fonts/truetype/dejavu", "DejaVuSerif{}.ttf", DEJAVU),
]


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


def _line(pdf: FPDF, width: float, height: float, text: str, **kwargs) -> None:
    # fpdf2 leaves the cursor right of a cell by default; a report reads line by line.
    pdf.multi_cell(width, height, text, new_x="LMARGIN", new_y="NEXT", **kwargs)


def _add_fonts(pdf: FPDF) -> None:
    for style, path in serif_fonts().items():
        pdf.add_font("serif", style, str(path))


def _rule(pdf: FPDF, centre: float, width: float) -> None:
    """The short line Decree 30 draws under the issuing body and under the motto."""
    y = pdf.get_y() + 1.2
    pdf.set_line_width(0.3)
    pdf.line(centre - width / 2, y, centre + width / 2, y)
    pdf.set_y(y + 1.8)


def header(pdf: FPDF, results: Results) -> None:
    d = results.directive
    top = pdf.get_y()
    left_width = 60
    pdf.set_font("serif", "B", 12)
    body = "\n".join(line.upper() for line in d.issuing_body.splitlines())
    _line(pdf, left_width, 5.5, body, align="C")
    _rule(pdf, pdf.l_margin + left_width / 2, 20)
    pdf.set_font("serif", "", 12)
    _line(pdf, left_width, 6, f"Số:      /BC-{d.symbol.split('-')[-1] or 'UBND'}", align="C")
    bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + left_width, top)
    right_centre = pdf.l_margin + left_width + (pdf.epw - left_width) / 2
    pdf.set_font("serif", "B", 11)
    _line(pdf, 0, 5.5, MOTTO, align="C")
    pdf.set_x(pdf.l_margin + left_width)
    pdf.set_font("serif", "B", 13)
    _line(pdf, 0, 6, MOTTO_2, align="C")
    _rule(pdf, right_centre, pdf.get_string_width(MOTTO_2))
    pdf.set_x(pdf.l_margin + left_width)
    pdf.set_font("serif", "I", 13)
    _line(pdf, 0, 8, vietnamese_date(d.place, results.today), align="C")
    pdf.set_y(max(bottom, pdf.get_y()) + 6)


def _title(pdf: FPDF, results: Results) -> None:
    pdf.set_font("serif", "B", 14)
    _line(pdf, 0, 7, "BÁO CÁO", align="C")
    _line(pdf, 0, 7, report_title(results), align="C")
    pdf.ln(3)
    pdf.set_font("serif", "", 13)
    overall = "—" if results.matrix.percent is None else f"{results.matrix.percent}%"
    _line(
        pdf,
        0,
        6.5,
        f"Văn bản được gửi tới {results.unit_count} đơn vị với {len(results.items)} nội dung. "
        f"Đến ngày {results.today:%d/%m/%Y}, tỷ lệ hoàn thành chung đạt {overall}.",
        align="J",
    )


def _heading(pdf: FPDF, text: str, *, keep_with: float) -> None:
    """A section heading that moves to the next page rather than sit alone at the foot."""
    if pdf.will_page_break(7 + keep_with):
        pdf.add_page()
    pdf.set_font("serif", "B", 13)
    _line(pdf, 0, 7, text)


def _table(pdf: FPDF, heading: str, header: list[str], rows: list[list[str]], widths) -> None:
    pdf.ln(3)
    _heading(pdf, heading, keep_with=30)
    pdf.set_font("serif", "", 10)
    # The second column holds text (an item, a unit's name); the others are numbers.
    align = ("CENTER", "LEFT", *["CENTER"] * (len(header) - 2))
    # fpdf2 centres a table on the page, not between the margins: pin it to the left one.
    with pdf.table(
        col_widths=widths, text_align=align, line_height=5, align="LEFT", width=sum(widths)
    ) as table:
        for values in [header, *rows]:
            row = table.row()
            for value in values:
                row.cell(value)


def _unit_texts(pdf: FPDF, results: Results) -> None:
    pdf.ln(3)
    _heading(pdf, "III. Báo cáo của các đơn vị", keep_with=20)
    for n, unit in enumerate(results.units, 1):
        pdf.set_font("serif", "B", 12)
        if pdf.will_page_break(13):
            pdf.add_page()
        _line(pdf, 0, 6.5, f"{n}. {unit.unit_name} ({unit.percent}%)")
        pdf.set_font("serif", "", 12)
        for line in unit_lines(unit, results.today):
            _line(pdf, 0, 6, line, align="J")


def footer(pdf: FPDF, results: Results) -> None:
    d = results.directive
    pdf.ln(6)
    # "Nơi nhận" and the signature block are never split over two pages.
    if pdf.will_page_break(55):
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_font("serif", "BI", 12)
    _line(pdf, 75, 6, "Nơi nhận:")
    pdf.set_font("serif", "", 11)
    for line in report_copies(results.today).splitlines():
        _line(pdf, 75, 5.5, f"- {line}")
    pdf.set_xy(pdf.l_margin + 75, top)
    pdf.set_font("serif", "B", 13)
    for line in d.signature_lines():
        pdf.set_x(pdf.l_margin + 75)
        _line(pdf, 0, 6, line.upper(), align="C")
    pdf.ln(22)
    pdf.set_x(pdf.l_margin + 75)
    _line(pdf, 0, 6, d.signer_name, align="C")


def results_pdf(results: Results) -> bytes:
    """The results report as PDF bytes (A4, Decree 30 margins)."""
    pdf = FPDF(format="A4")
    pdf.set_margins(left=30, top=20, right=15)
    pdf.set_auto_page_break(auto=True, margin=20)
    _add_fonts(pdf)
    pdf.add_page()
    header(pdf, results)
    _title(pdf, results)
    _table(
        pdf,
        "I. Tổng hợp theo nội dung",
        ITEM_COLUMNS,
        _item_rows(results),
        # 165 mm: the A4 width less the 30 mm and 15 mm margins.
        (8, 57, 13, 15, 17, 13, 14, 14, 14),
    )
    _table(
        pdf, "II. Tổng hợp theo đơn vị", UNIT_COLUMNS, _unit_rows(results), (10, 75, 20, 20, 20, 20)
    )
    _unit_texts(pdf, results)
    footer(pdf, results)
    return bytes(pdf.output())
