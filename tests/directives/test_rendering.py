"""The exported documents drawn as images: is there ink, in the right places, on A4?

The PNGs are written to pytest's tmp_path (`--basetemp DIR` keeps them) so a person can
look at them after a change to the layout.
"""

import datetime as dt
import shutil
import subprocess

import pytest

from citysoc.directives.models import Assignment
from citysoc.directives.results import compile_results

pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 draws the PDF pages")

TODAY = dt.date(2026, 2, 19)
A4_POINTS = (595.3, 841.9)  # 210 × 297 mm
DPI = 100
DARK = 128  # a grey level below this is ink


@pytest.fixture
def open_pdf():
    """Open PDFs with pdfium and close them (pages first) when the test ends."""
    opened = []

    def open_(source):
        pdf = pdfium.PdfDocument(source)
        pages = [pdf[i] for i in range(len(pdf))]
        opened.append((pdf, pages))
        return pdf, pages

    yield open_
    for pdf, pages in opened:
        for page in pages:
            page.close()
        pdf.close()


def _pdf_bytes(answered) -> bytes:
    from citysoc.directives.report_pdf import results_pdf
    from citysoc.lib.official_document.pdf import FontMissing

    results = compile_results(answered, Assignment.objects.all(), today=TODAY)
    try:
        return results_pdf(results)
    except FontMissing as exc:
        pytest.skip(str(exc))


def _render(pages, tmp_path, stem: str) -> list:
    """Every page as a greyscale PIL image, also saved as <stem>-<n>.png."""
    images = []
    for n, page in enumerate(pages, 1):
        image = page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
        image.save(tmp_path / f"{stem}-{n}.png")
        images.append(image)
    return images


def _ink_share(image, box=None) -> float:
    region = image.crop(box) if box else image
    histogram = region.histogram()
    return sum(histogram[:DARK]) / (region.width * region.height)


def _mm(value: float) -> int:
    return round(value / 25.4 * DPI)


def _find(page, text: str):
    """(left, top, right, bottom) of the first match of `text` in points, or None."""
    textpage = page.get_textpage()
    searcher = textpage.search(text)
    found = searcher.get_next()
    boxes = [textpage.get_charbox(i) for i in range(found[0], sum(found))] if found else []
    searcher.close()
    textpage.close()
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _text(page) -> str:
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    textpage.close()
    return text


def test_the_results_pdf_draws_on_a4_inside_the_margins(answered, tmp_path, open_pdf):
    _pdf, pages = open_pdf(_pdf_bytes(answered))
    images = _render(pages, tmp_path, "bao-cao")
    for page in pages:
        width, height = page.get_size()
        assert (round(width, 1), round(height, 1)) == A4_POINTS
    first = images[0]
    # Text and two ruled tables: a real page, not a blank one and not a black one.
    assert 0.02 < _ink_share(first) < 0.30
    for n, image in enumerate(images, 1):
        # Decree 30 margins are 30 mm left and 15 mm right; the tables must not run past
        # them (a few mm of slack for the table's outer rule).
        left = (0, 0, _mm(30) - _mm(3), image.height)
        right = (image.width - _mm(15) + _mm(3), 0, image.width, image.height)
        assert _ink_share(image, left) == 0, f"ink in the left margin of page {n}"
        assert _ink_share(image, right) == 0, f"ink in the right margin of page {n}"


def test_the_results_pdf_keeps_the_vietnamese_text_and_the_layout_blocks(answered, open_pdf):
    _pdf, pages = open_pdf(_pdf_bytes(answered))
    first, last = pages[0], pages[-1]
    page_width = first.get_size()[0]
    text = "".join(_text(page) for page in pages)
    for words in (
        "ỦY BAN NHÂN DÂN",
        "Độc lập - Tự do - Hạnh phúc",
        "Tổng hợp theo nội dung",
        "Phường Tam Điệp",
        "VNPT đang bố trí ca trực",
        "Đã hoàn thành",
    ):
        assert words in text, words
    # The national motto sits right of the issuing body, on the same lines.
    body, motto = _find(first, "ỦY BAN NHÂN DÂN"), _find(first, "CỘNG HÒA XÃ HỘI")
    assert body[2] < motto[0]
    assert abs(body[3] - motto[3]) < 10
    # The signer's name is in the right half of the last page, below "Nơi nhận".
    copies, name = _find(last, "Nơi nhận"), _find(last, "Vũ Đình Chiến")
    assert name is not None and name[0] > page_width / 2
    assert copies[2] < page_width / 2
    assert name[1] < copies[1]  # PDF y grows upwards


@pytest.mark.skipif(
    not (shutil.which("libreoffice") or shutil.which("soffice")),
    reason="LibreOffice is not installed: the DOCX files are not drawn",
)
def test_the_docx_files_convert_to_a4_pdf_pages_with_ink(answered, tmp_path, open_pdf):
    from citysoc.directives.documents import directive_docx
    from citysoc.directives.report_documents import results_docx

    results = compile_results(answered, Assignment.objects.all(), today=TODAY)
    (tmp_path / "cong-van.docx").write_bytes(directive_docx(answered))
    (tmp_path / "bao-cao-docx.docx").write_bytes(results_docx(results))
    office = shutil.which("libreoffice") or shutil.which("soffice")
    for stem in ("cong-van", "bao-cao-docx"):
        subprocess.run(  # noqa: S603 - a fixed command on files this test wrote
            [
                office,
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(tmp_path / f"{stem}.docx"),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        _pdf, pages = open_pdf(tmp_path / f"{stem}.pdf")
        images = _render(pages, tmp_path, stem)
        width, height = pages[0].get_size()
        assert (round(width, 1), round(height, 1)) == A4_POINTS
        assert _ink_share(images[0]) > 0.02
        # LibreOffice draws Vietnamese with base letters + combining marks when the
        # document's font is missing, and PDF text extraction then splits the words (the
        # page itself looks right: see the PNGs). So check the reference number, in ASCII.
        text = _text(pages[0])
        assert "42/UBND-KGVX" in text
        # Decree 30: page numbers in the top margin from page 2 on, none on page 1.
        assert _top_text(pages[0]) == ""
        assert _top_text(pages[1]) == "2"
    # The last page of the report holds the end of the text with the signature block.
    _pdf, pages = open_pdf(tmp_path / "bao-cao-docx.pdf")
    assert "%" in _text(pages[-1])


def _top_text(page) -> str:
    """The text in the top 18 mm of a page: the header margin, where page numbers go."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    text = textpage.get_text_bounded(left=0, bottom=height - 51, right=width, top=height)
    textpage.close()
    return text.strip()
