"""Assessment forms: choose a library to start, answer an item, filter the gap list."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from citysoc.compliance.models import AssessmentItem
from citysoc.core.forms import choice_field

# dd/mm/yyyy as text: <input type=date> follows the browser's locale, not Vietnamese practice.
DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})
ANSWER_CHOICES = [("", "—")] + [
    (value, label)
    for value, label in AssessmentItem.Status.choices
    if value != AssessmentItem.Status.NOT_ASSESSED
]


class StartForm(forms.Form):
    library = forms.ChoiceField(label=_("Framework library"))

    def __init__(self, *args, libraries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.libraries = {lib.urn: lib for lib in libraries}
        choice_field(self, "library").choices = [
            (lib.urn, f"{lib.ref_id} — {lib.display_name}") for lib in libraries
        ]

    def clean_library(self):
        return self.libraries[self.cleaned_data["library"]]


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ANSWER_CHOICES)
    reason = forms.CharField(
        label=_("Reason it does not apply"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What you checked and what you found."),
    )
    evidence_link = forms.URLField(
        label=_("Evidence link"), max_length=500, required=False, assume_scheme="https"
    )
    file = forms.FileField(label=_("Evidence file"), required=False)
    gap_owner = forms.CharField(label=_("Who fixes the gap"), max_length=200, required=False)
    gap_due = forms.DateField(label=_("Gap due"), required=False, widget=DATE_WIDGET)

    def clean_file(self):
        file = self.cleaned_data.get("file")
        limit = settings.UPLOAD_MAX_BYTES
        if file is not None and file.size > limit:
            raise forms.ValidationError(
                _("This file is larger than %(limit)d MB; send a smaller one.")
                % {"limit": limit // 2**20}
            )
        return file


class GapFilter(forms.Form):
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))]
        + [
            (s.value, s.label)
            for s in (AssessmentItem.Status.PARTLY, AssessmentItem.Status.NOT_MET)
        ],
    )
