"""A national report form as PDF (fpdf2, offline), laid out like its DOCX: the form's number,
the Decree 30 header, title, recipients, sections of label/value rows, signature block.
The layout and fonts are `lib/official_document/pdf.py`'s."""

from __future__ import annotations

from fpdf import FPDF

from citysoc.incidents.national_forms import FormDoc
from citysoc.incidents.report_docx import ROMAN
from citysoc.lib.official_document.pdf import footer, header, line, new_pdf


def _header(pdf: FPDF, form: FormDoc) -> None:
    if form.form_label:
        pdf.set_font("serif", "B", 12)
        line(pdf, 0, 6, form.form_label, align="R")
    header(
        pdf, issuing_body=form.issuing_body, place=form.place, date=form.date, reference="     /BC"
    )


def _title(pdf: FPDF, form: FormDoc) -> None:
    pdf.set_font("serif", "B", 14)
    line(pdf, 0, 7, form.title, align="C")
    pdf.set_font("serif", "I", 12)
    line(pdf, 0, 6, form.subtitle, align="C")
    pdf.ln(3)
    pdf.set_font("serif", "", 13)
    line(pdf, 0, 6.5, "Kính gửi:")
    for recipient in form.recipients:
        pdf.set_x(pdf.l_margin + 20)
        line(pdf, 0, 6.5, f"- {recipient}")


def _table(pdf: FPDF, columns: tuple[str, ...], rows, widths) -> None:
    pdf.set_font("serif", "", 10)
    with pdf.table(
        col_widths=widths, line_height=5, align="LEFT", width=sum(widths), text_align="LEFT"
    ) as table:
        for values in [columns, *rows]:
            row = table.row()
            for value in values:
                row.cell(value)


def _sections(pdf: FPDF, form: FormDoc) -> None:
    for n, section in enumerate(form.sections):
        pdf.ln(3)
        if pdf.will_page_break(20):
            pdf.add_page()
        pdf.set_font("serif", "B", 13)
        line(pdf, 0, 7, f"{ROMAN[n]}. {section.title}")
        if section.fields:
            rows = [(f"{f.label}{' (*)' if f.required else ''}", f.shown) for f in section.fields]
            _table(pdf, ("Thông tin", "Nội dung"), rows, (60, 105))
        if section.table:
            widths = (8, 45, 15, 15, 21, 21, 21, 19)[: len(section.table[0])]
            _table(pdf, section.table[0], section.table[1:], widths)


def _footer(pdf: FPDF, form: FormDoc) -> None:
    pdf.ln(3)
    pdf.set_font("serif", "I", 10)
    line(pdf, 0, 5, f"(*) Thông tin bắt buộc. {form.note}")
    line(pdf, 0, 5, f"Tiêu đề thư điện tử: {form.email_subject}")
    pdf.ln(4)
    signer = form.signer_name or "(Ký, ghi rõ họ tên, đóng dấu)"
    footer(pdf, [*form.recipients, *form.copies_to], form.signer_lines, signer)


def form_pdf(form: FormDoc) -> bytes:
    """The form as PDF bytes (A4, Decree 30 margins)."""
    pdf = new_pdf()
    _header(pdf, form)
    _title(pdf, form)
    _sections(pdf, form)
    _footer(pdf, form)
    return bytes(pdf.output())
