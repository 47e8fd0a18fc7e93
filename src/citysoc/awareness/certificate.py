"""A course certificate as PDF, drawn with fpdf2 like the directive's results report, with
the same serif font check (every Vietnamese letter present, or no PDF)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from citysoc.awareness.models import Enrolment
from citysoc.lib.official_document.pdf import add_fonts


def certificate_pdf(enrolment: Enrolment) -> bytes:
    """One A4 landscape page for a passed enrolment."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    add_fonts(pdf)
    pdf.add_page()
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_line_width(0.3)
    pdf.rect(14, 14, 269, 182)
    width = 257
    pdf.set_xy(20, 24)
    pdf.set_font("serif", "B", 13)
    _centred(pdf, width, 7, enrolment.unit.name.upper())
    pdf.set_y(52)
    pdf.set_font("serif", "B", 30)
    _centred(pdf, width, 14, _("CERTIFICATE"))
    pdf.set_font("serif", "I", 15)
    _centred(pdf, width, 10, _("of completion of an information security awareness course"))
    pdf.ln(10)
    pdf.set_font("serif", "", 15)
    _centred(pdf, width, 9, _("This certifies that"))
    pdf.set_font("serif", "B", 24)
    _centred(pdf, width, 14, enrolment.person.full_name)
    pdf.set_font("serif", "", 15)
    _centred(pdf, width, 9, _("has completed the course"))
    pdf.set_font("serif", "B", 18)
    _centred(pdf, width, 11, enrolment.course.title)
    pdf.set_font("serif", "", 13)
    done = timezone.localtime(enrolment.completed_at or timezone.now())
    _centred(
        pdf,
        width,
        9,
        _("Score %(score)d%% (pass mark %(mark)d%%), completed on %(date)s")
        % {
            "score": enrolment.best_score or 0,
            "mark": enrolment.course.pass_mark,
            "date": done.strftime("%d/%m/%Y"),
        },  # fmt: skip
    )
    pdf.set_y(172)
    pdf.set_font("serif", "I", 10)
    _centred(pdf, width, 6, _("Certificate no. %(number)s, issued by citysoc")
             % {"number": f"{enrolment.unit.code}-{enrolment.pk:06d}"})  # fmt: skip
    return bytes(pdf.output())


def _centred(pdf: FPDF, width: float, height: float, text: str) -> None:
    pdf.set_x(20)
    pdf.multi_cell(width, height, text, align="C", new_x="LMARGIN", new_y="NEXT")
