"""Forms of the website pages: a monitor, "watch all my domains", the city board's filters.

They check the *shape* of what was sent; the checks and their rules live in `checks/` and
`recording.py`.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from citysoc.core import outbound
from citysoc.core.forms import model_choice_field
from citysoc.core.models import Unit
from citysoc.inventory.models import Domain
from citysoc.webwatch import states
from citysoc.webwatch.models import SEVERITIES, Monitor


class MonitorForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")

    class Meta:
        model = Monitor
        fields = ["unit", *Monitor.SETTINGS]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = Unit.objects.editable_by(user)
        model_choice_field(self, "domain").queryset = Domain.objects.editable_by(
            user
        ).select_related("unit")
        self.fields["domain"].help_text = _("The inventory domain this website belongs to.")

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("Give a web address starting with https:// or http://."))
        return url

    def clean(self):
        super().clean()
        data = self.cleaned_data
        unit, domain = data.get("unit"), data.get("domain")
        if unit and domain and domain.unit_id != unit.pk:
            self.add_error(
                "domain",
                _("The domain %(domain)s belongs to %(other)s, not to %(unit)s.")
                % {"domain": domain.name, "other": domain.unit.name, "unit": unit.name},
            )
        url = data.get("url")
        if url:
            try:
                outbound.validate_url(url, unit)
            except forms.ValidationError as exc:
                self.add_error("url", exc)
        if unit and url:
            clash = Monitor.objects.filter(unit=unit, url=url).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("url", _("This unit already watches %(url)s.") % {"url": url})
        return data


class WatchDomainsForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = Unit.objects.editable_by(user)


STATES = [
    ("", _("Any")),
    ("red", _("Red: compromised or down")),
    *((s.code, s.label) for s in states.STATES),
]


class BoardFilter(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("Any")
    )
    state = forms.ChoiceField(label=_("State"), required=False, choices=STATES)
    severity = forms.ChoiceField(
        label=_("Open finding of severity"), required=False, choices=[("", _("Any"))] + SEVERITIES
    )
    findings = forms.BooleanField(label=_("With open findings only"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = Unit.objects.visible_to(user)
