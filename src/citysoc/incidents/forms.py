"""Forms of the incident pages: the case, observables, systems, tasks, evidence, people,
reports, closing, merging, playbooks and contacts. The rules live in the domain modules."""

from __future__ import annotations

import hashlib

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from citysoc.alerts.models import SEVERITIES, Incident
from citysoc.core.forms import choice_field, model_choice_field
from citysoc.incidents import serious
from citysoc.incidents.models import Contact, Observable, Participant, Report, Task


class CaseForm(forms.ModelForm):
    """The case's own fields; the serious-incident checklist is a set of ticks."""

    serious_criteria = forms.MultipleChoiceField(
        label=_("Serious-incident test"),
        choices=[(c.code, c.label) for c in serious.CRITERIA],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    detected_at = forms.DateTimeField(
        label=_("Detected"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    class Meta:
        model = Incident
        fields = [
            "title", "kind", "severity", "description", "detected_at", "detection_method",
            "serious_criteria", "beyond_capacity", "national_security", "handling", "damage",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class NewCaseForm(CaseForm):
    unit: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Unit"), queryset=None)

    class Meta(CaseForm.Meta):
        fields = ["unit", *CaseForm.Meta.fields]

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = units
        choice_field(self, "severity").choices = SEVERITIES


class ObservableForm(forms.Form):
    value = forms.CharField(label=_("IP, domain, URL, hash or e-mail"), max_length=500)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Guess from the value")), *Observable.Kind.choices],
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class SystemForm(forms.Form):
    system: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Information system"), queryset=None
    )

    def __init__(self, *args, systems=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "system").queryset = systems


class TaskForm(forms.ModelForm):
    due_at = forms.DateTimeField(
        label=_("Due"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    class Meta:
        model = Task
        fields = ["phase", "title", "due_at"]


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)d MB; the limit is %(limit)d MB. Split it into parts.")
                % {"size": upload.size // 2**20, "limit": limit // 2**20}
            )
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        self.sha256 = digest.hexdigest()
        return upload


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["name", "role", "organisation", "phone", "email"]


class ReportForm(forms.Form):
    form = forms.ChoiceField(label=_("Report"), choices=Report.Form.choices)
    text = forms.CharField(
        label=_("Content (progress, plan, assistance, notification)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10000,
    )


class CloseForm(forms.Form):
    lessons = forms.CharField(label=_("Lessons learned"), widget=forms.Textarea(attrs={"rows": 4}))


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("Merge into incident number"), min_value=1)


class PlaybookForm(forms.Form):
    text = forms.CharField(label=_("Playbook (YAML)"), widget=forms.Textarea(attrs={"rows": 24}))


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = [
            "unit",
            "kind",
            "name",
            "organisation",
            "phone",
            "email",
            "note",
            "valid_from",
            "valid_to",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = units
