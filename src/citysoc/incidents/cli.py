"""`citysoc incident report ID --form 03|04|05|notice|progress|plan|assistance
(--docx OUT | --pdf OUT)`, `citysoc incident summary UNIT --from D --to D (--docx|--pdf) OUT`
and `citysoc incident profile UNIT --form 01|02 (--docx|--pdf) OUT`.

Exit codes: 0 written, 2 nothing written (unknown incident or unit, bad form or date).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

FORMS = ["03", "04", "05", "notice", "progress", "plan", "assistance"]


def _out(parser: argparse.ArgumentParser) -> None:
    out = parser.add_mutually_exclusive_group(required=True)
    out.add_argument("--docx", metavar="OUT", help="write the form as a Word document")
    out.add_argument("--pdf", metavar="OUT", help="write the form as PDF")


def _day(text: str) -> dt.date:
    try:
        day, month, year = (int(part) for part in text.split("/"))
        return dt.date(year, month, day)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date dd/mm/yyyy") from None


def incident(argv: list[str], setup_django: Callable[[], None]) -> int:
    parser = argparse.ArgumentParser(prog="citysoc incident", description="Incident reports.")
    verbs = parser.add_subparsers(dest="verb", required=True)
    report = verbs.add_parser("report", help="a national report form of one incident")
    report.add_argument("id", type=int, help="the incident's number (#ID on its page)")
    report.add_argument("--form", required=True, choices=FORMS)
    report.add_argument("--text", default="", help="content of a notice/progress/plan report")
    _out(report)
    summary = verbs.add_parser("summary", help="Mẫu 05: a unit's incidents over a period")
    summary.add_argument("unit", help="unit code")
    summary.add_argument("--from", dest="start", type=_day, required=True, help="dd/mm/yyyy")
    summary.add_argument("--to", dest="end", type=_day, required=True, help="dd/mm/yyyy")
    _out(summary)
    profile = verbs.add_parser("profile", help="Mẫu 01/02: a unit's network-member profile")
    profile.add_argument("unit", help="unit code")
    profile.add_argument("--form", choices=["01", "02"], default="01")
    _out(profile)
    opts = parser.parse_args(argv)
    setup_django()
    from citysoc.alerts.models import Incident
    from citysoc.core.models import Unit
    from citysoc.incidents import reporting

    if opts.verb == "report":
        case = Incident.objects.filter(pk=opts.id).select_related("unit").first()
        if case is None:
            print(
                f"citysoc: no incident #{opts.id}. Check the number on its page.", file=sys.stderr
            )
            return 2
        form_doc = reporting.form_for(case, opts.form, text=opts.text)
    else:
        unit = Unit.objects.filter(code=opts.unit).first()
        if unit is None:
            print(f"citysoc: no unit with code {opts.unit!r}.", file=sys.stderr)
            return 2
        if opts.verb == "profile":
            from django.utils import timezone

            from citysoc.incidents.national_forms import member_profile

            form_doc = member_profile(unit, opts.form, timezone.localdate())
        elif opts.end < opts.start:
            print("citysoc: --to is before --from.", file=sys.stderr)
            return 2
        else:
            form_doc = reporting.summary_for(unit, opts.start, opts.end)
    fmt, out = ("docx", opts.docx) if opts.docx else ("pdf", opts.pdf)
    Path(out).write_bytes(reporting.render(form_doc, fmt))
    print(f"{form_doc.title}: written to {out}")
    print(f"e-mail subject: {form_doc.email_subject}")
    return 0
