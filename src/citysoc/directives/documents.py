"""The directive as a Word document in the layout of Decree 30/2020/NĐ-CP, Appendix I
(`lib/official_document/docx.py`): the header, "Kính gửi", the legal bases, the body and
the items, the report-back sentence, then "Nơi nhận" beside the signature block.
"""

from __future__ import annotations

import datetime as dt
import re

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from citysoc.directives.models import Directive
from citysoc.lib.official_document.docx import (
    body_line,
    footer,
    header,
    new_document,
    para,
    run,
    to_bytes,
)

CITES_BASES = {Directive.Type.KE_HOACH, Directive.Type.QUYET_DINH, Directive.Type.CHI_THI}


def _content(doc, d: Directive) -> None:
    addressees = [a for a in d.addressees.splitlines() if a.strip()]
    # "Kính gửi:" sits left of a block of recipients, both indented towards the centre.
    kg = para(doc, align=WD_ALIGN_PARAGRAPH.LEFT)
    kg.paragraph_format.space_before = Pt(12)
    kg.paragraph_format.left_indent = Cm(2)
    run(kg, "Kính gửi:", size=14)
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


def directive_docx(directive: Directive) -> bytes:
    """The directive as DOCX bytes."""
    doc = new_document()
    reference = directive.reference or "     /" + directive.symbol
    header(doc, directive, reference=reference, subject=directive.subject, date=directive.date)
    _content(doc, directive)
    footer(doc, directive, directive.copies_to)
    return to_bytes(doc)
