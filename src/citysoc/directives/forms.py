"""Directive forms (city roles) and the answer / evidence forms (unit users)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from citysoc.core.forms import model_choice_field
from citysoc.core.models import Unit
from citysoc.directives.models import ActionItem, Assignment, Directive

# dd/mm/yyyy as text: <input type=date> follows the browser's locale, not Vietnamese practice.
DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})
RECIPIENT_KINDS = [(k, label) for k, label in Unit.Kind.choices if k != Unit.Kind.CITY]


def _kinds_field(label, help_text="") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=RECIPIENT_KINDS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=help_text,
    )


class DirectiveForm(forms.ModelForm):
    recipient_kinds = _kinds_field(_("Recipient unit kinds"), _("Every unit of these kinds."))

    class Meta:
        model = Directive
        fields = [
            "doc_type",
            "number",
            "symbol",
            "place",
            "date",
            "issuing_body",
            "subject",
            "legal_bases",
            "body",
            "addressees",
            "recipient_kinds",
            "recipient_units",
            "copies_to",
            "signing_form",
            "signing_body",
            "head_title",
            "signer_title",
            "signer_name",
        ]
        widgets = {
            "date": DATE_WIDGET,
            "issuing_body": forms.Textarea(attrs={"rows": 2}),
            "legal_bases": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 6}),
            "addressees": forms.Textarea(attrs={"rows": 3}),
            "copies_to": forms.Textarea(attrs={"rows": 2}),
            "recipient_units": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "recipient_units").queryset = Unit.objects.exclude(
            kind=Unit.Kind.CITY
        ).order_by("path")


class ActionItemForm(forms.ModelForm):
    applies_to_kinds = _kinds_field(_("Applies to"), _("None ticked: every recipient."))

    class Meta:
        model = ActionItem
        fields = [
            "order",
            "section",
            "text",
            "applies_to_kinds",
            "due_date",
            "evidence_required",
            "area",
        ]
        widgets = {"due_date": DATE_WIDGET, "text": forms.Textarea(attrs={"rows": 2})}


ItemFormSet = forms.inlineformset_factory(
    Directive, ActionItem, form=ActionItemForm, extra=2, can_delete=True
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type=file multiple>; cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [data] if data else []


class TemplateForm(forms.Form):
    template = forms.ChoiceField(label=_("Template"), choices=[("tet", _("Lunar New Year (Tết)"))])
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Assignment.Status.choices)
    report = forms.CharField(
        label=_("Report"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What your unit did, with dates, numbers and names."),
    )
    reason = forms.CharField(
        label=_("Reason it does not apply"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    file = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_("Minutes, a report or a screenshot; you may pick several files."),
    )
    note = forms.CharField(label=_("Note on the files"), max_length=300, required=False)

    def __init__(self, *args, evidence_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if evidence_required:
            self.fields["file"].help_text = _(
                "This item requires evidence: at least one file before it can be marked done."
            )

    def clean_file(self):
        files = self.cleaned_data.get("file") or []
        limit = settings.UPLOAD_MAX_BYTES
        for file in files:
            if file.size > limit:
                raise forms.ValidationError(
                    _("'%(name)s' is larger than %(limit)d MB; send a smaller one.")
                    % {"name": file.name, "limit": limit // 2**20}
                )
        return files


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


class AttachmentForm(EvidenceForm):
    file = forms.FileField(label=_("Attach a file to the directive"))


class MatrixFilter(forms.Form):
    kind = forms.ChoiceField(
        label=_("Unit kind"), choices=[("", _("All"))] + RECIPIENT_KINDS, required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    missing_evidence = forms.BooleanField(label=_("Missing evidence only"), required=False)


class AssignmentFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + Assignment.Status.choices, required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
