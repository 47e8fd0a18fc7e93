"""The sweep pages' forms: an enrolment token, a campaign, an offline result file, a rule set."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from citysoc.core.forms import model_choice_field
from citysoc.core.models import Unit
from citysoc.sweep import rules
from citysoc.sweep.models import RuleSet


class TokenForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Unit"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=90, initial=7)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = (
            units if units is not None else Unit.objects.none()
        )


class CampaignForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), label=_("Unit (and units under it)")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    botnet_first = forms.BooleanField(
        label=_("Hosts with open botnet clean-up tasks first"), required=False, initial=True
    )
    due_date = forms.DateField(label=_("Due"), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = (
            units if units is not None else Unit.objects.none()
        )


class ResultUploadForm(forms.Form):
    file = forms.FileField(label=_("Result file from an offline bundle"))


class RuleSetForm(forms.Form):
    """A rule file for the next version of a named rule set; the file's text is checked after."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("An existing name adds its next version, e.g. city-yara."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=RuleSet.Kind.choices)
    file = forms.FileField(label=_("Rule file (UTF-8 text)"))

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > rules.MAX_BYTES:
            raise forms.ValidationError(rules.too_large())
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                _("The file is not UTF-8 text (byte %(position)d); save it as UTF-8.")
                % {"position": exc.start}
            ) from None
