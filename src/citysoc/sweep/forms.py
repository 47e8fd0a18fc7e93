"""The sweep page's forms: an enrolment token, a campaign, an offline result file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from citysoc.core.forms import model_choice_field
from citysoc.core.models import Unit


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
