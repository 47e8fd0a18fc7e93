"""A national report form (`national_forms.FormDoc`) as DOCX, in the Decree 30 layout the
directives use (`lib/official_document/docx.py`): the form's number top right, the issuing unit
and national motto, the title, "Kính gửi", numbered sections of label/value rows (empty
values marked for hand filling), then "Nơi nhận" and the signature block.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from citysoc.incidents.national_forms import FormDoc
from citysoc.lib.official_document.docx import (
    data_table,
    footer,
    header,
    new_document,
    para,
    to_bytes,
)

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


@dataclass
class _Letterhead:
    """What the shared header and footer read (a Directive has the same names)."""

    issuing_body: str
    place: str
    signer_name: str
    lines: tuple[str, ...]

    def signature_lines(self) -> list[str]:
        return list(self.lines)


def _letterhead(doc: FormDoc) -> _Letterhead:
    return _Letterhead(doc.issuing_body, doc.place, doc.signer_name, doc.signer_lines)


def form_docx(form: FormDoc) -> bytes:
    """The form as DOCX bytes."""
    doc = new_document()
    if form.form_label:
        para(doc, form.form_label, align=WD_ALIGN_PARAGRAPH.RIGHT, size=12, bold=True)
    header(doc, _letterhead(form), reference="      /BC", subject="", date=form.date)
    para(doc, "")
    para(doc, form.title, size=14, bold=True)
    para(doc, form.subtitle, size=13, italic=True)
    kg = para(doc, align=WD_ALIGN_PARAGRAPH.LEFT)
    kg.paragraph_format.space_before = Pt(12)
    kg.paragraph_format.left_indent = Cm(2)
    kg.add_run("Kính gửi:").font.size = Pt(14)
    for line in form.recipients:
        p = para(doc, f"- {line}", align=WD_ALIGN_PARAGRAPH.LEFT, size=14)
        p.paragraph_format.left_indent = Cm(4)
    for n, section in enumerate(form.sections):
        heading = para(
            doc, f"{ROMAN[n]}. {section.title}", align=WD_ALIGN_PARAGRAPH.LEFT, size=13, bold=True
        )
        heading.paragraph_format.space_before = Pt(8)
        if section.fields:
            rows = [[f"{f.label}{' (*)' if f.required else ''}", f.shown] for f in section.fields]
            data_table(doc, ["Thông tin", "Nội dung"], rows, widths_cm=[6.0, 10.5])
        if section.table:
            data_table(doc, list(section.table[0]), [list(r) for r in section.table[1:]])
    para(
        doc,
        "(*) Thông tin bắt buộc. " + form.note,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        size=11,
        italic=True,
    )
    para(
        doc,
        f"Tiêu đề thư điện tử: {form.email_subject}",
        align=WD_ALIGN_PARAGRAPH.LEFT,
        size=11,
        italic=True,
    )
    footer(doc, _letterhead(form), "\n".join([*form.recipients, *form.copies_to]))
    return to_bytes(doc)
