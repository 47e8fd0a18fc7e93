"""Making a national report: the form filled from the case, the file drawn, a `Report` row
kept (what was made, by whom); marking it sent meets the deadlines its form answers."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.alerts.incidents import add_note, display_name
from citysoc.alerts.models import Incident
from citysoc.core.models import Unit
from citysoc.incidents import national_forms
from citysoc.incidents.models import Report
from citysoc.incidents.report_docx import form_docx
from citysoc.incidents.report_pdf import form_pdf

FORMATS = {"docx": form_docx, "pdf": form_pdf}
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def form_for(incident: Incident, form: str, *, today: dt.date | None = None, text: str = ""):
    """The FormDoc of `form` for the case (05: the unit's half-year around the case)."""
    today = today or timezone.localdate()
    if form == "05":
        start, end = national_forms.half_year(timezone.localdate(incident.detected))
        return national_forms.summary(incident.unit, start, end, today)
    return national_forms.build(form, incident, today, text)


def render(form_doc, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use docx or pdf")
    return FORMATS[fmt](form_doc)


def record(incident: Incident, form: str, *, by, text: str = "") -> Report:
    """Keep a row saying the report was made (not yet sent)."""
    report = Report.objects.create(
        unit=incident.unit, incident=incident, form=form, text=text, created_by=display_name(by)
    )
    add_note(incident, by=by, text=_("Report made: %(f)s") % {"f": report.get_form_display()})
    return report


def mark_sent(report: Report, *, by, at: dt.datetime | None = None) -> None:
    report.sent_at = at or timezone.now()
    report.save(update_fields=["sent_at"])
    if report.incident is not None:
        add_note(
            report.incident, by=by, text=_("Report sent: %(f)s") % {"f": report.get_form_display()}
        )


def summary_for(unit: Unit, start: dt.date, end: dt.date, *, today: dt.date | None = None):
    return national_forms.summary(unit, start, end, today or timezone.localdate())
