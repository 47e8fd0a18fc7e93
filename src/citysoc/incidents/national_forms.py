"""The national report forms as data, pre-filled from a case or a unit's period: every field
of the form, the empty ones marked for hand filling.

TT 20/2017/TT-BTTTT Phụ lục I: Mẫu 03 (initial report), Mẫu 04 (closing report), Mẫu 05
(6-monthly / yearly summary); the progress, response-plan and assistance reports and the
notification have no template in the circular and carry the fields the national portal
kept for them (organisation, address, phone, e-mail, description, date). From 19/08/2026
NĐ 331/2026 sets the clocks but no Ministry of Public Security form exists yet: the same
forms are made, recipients follow the rules in force on the detection day, and the form
says so. `report_docx` and `report_pdf` draw a `FormDoc` the same way.

The forms live in modules by what they report: `national_form_parts` (the form as data and
the shared sections), `national_case_forms` (a case's reports), `national_summary` (Mẫu 05)
and `member_profile` (Mẫu 01/02). This module gathers their public names, so callers keep
one import.
"""

from __future__ import annotations

from citysoc.incidents.member_profile import PROFILE_TITLES, member_profile
from citysoc.incidents.national_case_forms import build, closing, free_text, initial
from citysoc.incidents.national_form_parts import (
    FORM_LABELS,
    FORMS,
    HAND,
    KIND_VI,
    TBSC_FORMS,
    TITLES,
    Field,
    FormDoc,
    Section,
    recipients,
)
from citysoc.incidents.national_summary import half_year, summary

__all__ = [
    "FORM_LABELS",
    "FORMS",
    "HAND",
    "KIND_VI",
    "PROFILE_TITLES",
    "TBSC_FORMS",
    "TITLES",
    "Field",
    "FormDoc",
    "Section",
    "build",
    "closing",
    "free_text",
    "half_year",
    "initial",
    "member_profile",
    "recipients",
    "summary",
]
