"""The request form (city) and the answer form (ISP): shape only; rules in requesting.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from citysoc.core.forms import model_choice_field
from citysoc.core.models import Unit
from citysoc.isps.models import IspRequest


class RequestForm(forms.Form):
    isp = forms.ModelChoiceField(label=_("ISP"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Request"), choices=IspRequest.Kind.choices)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("What is asked"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    due_at = forms.DateTimeField(
        label=_("Due"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    lines = forms.CharField(
        label=_("Lines"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "One per line: an IP, range, domain or URL to block; a botnet IP whose subscriber "
            "must be found; or what staffing to report. Text after a space is kept as a note."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "isp").queryset = Unit.objects.filter(kind=Unit.Kind.ISP).order_by(
            "name"
        )


class AnswerForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(max_length=20)
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProofForm(forms.Form):
    file = forms.FileField(label=_("Proof file"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
