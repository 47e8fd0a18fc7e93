"""Forms of the vulnerability pages: shape only; the rules are in vulns/work.py and
vulns/importing.py."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from citysoc.core import outbound
from citysoc.core.forms import model_choice_field
from citysoc.core.models import Person, Unit
from citysoc.vulns.models import PriorityFeed
from citysoc.vulns.parsers import PARSERS
from citysoc.vulns.parsers.base import MAX_BYTES

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "assignee").queryset = Person.objects.filter(
            unit=unit, is_active=True
        )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_file(self):
        file = self.cleaned_data["file"]
        limit = settings.UPLOAD_MAX_BYTES
        if file.size > limit:
            raise forms.ValidationError(
                _("This file is larger than %(limit)d MB; send a smaller one.")
                % {"limit": limit // 2**20}
            )
        return file


class FixedForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The next scan of the same hosts confirms the fix."),
    )


class AcceptForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the risk is accepted"), widget=forms.Textarea(attrs={"rows": 2})
    )
    until = forms.DateField(
        label=_("Accepted until"), widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FeedForm(forms.ModelForm):
    """A priority feed's address and schedule (the city's; empty URL: files only)."""

    class Meta:
        model = PriorityFeed
        fields = ["url", "every_hours", "active"]

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if url and not url.lower().startswith(("http://", "https://", "file://")):
            raise forms.ValidationError(_("Give an http://, https:// or file:// address."))
        if url:
            outbound.validate_url(url)
        return url


def _tools() -> list[tuple[str, str]]:
    return [("", str(_("Detect from the file")))] + [
        (name, module.LABEL) for name, module in PARSERS.items()
    ]


class ScanUploadForm(forms.Form):
    """A scanner report for one of the units the user edits (the API's `/api/scans/`)."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    file = forms.FileField(label=_("Scanner report"))
    tool = forms.ChoiceField(label=_("Tool"), required=False, choices=_tools)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.editable_by(user).order_by("path")
        model_choice_field(self, "unit").queryset = units

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}
            )
        return upload
