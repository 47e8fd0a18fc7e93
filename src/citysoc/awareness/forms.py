"""Forms of the awareness pages: shape only; the rules are in the domain modules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from citysoc.awareness.models import Course, Drill, DrillTemplate, Programme
from citysoc.core.forms import model_choice_field
from citysoc.core.models import Person, Unit


class _UnitScoped(forms.ModelForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = Unit.objects.editable_by(user).order_by("path")
        model_choice_field(self, "audience_units").queryset = Unit.objects.visible_to(
            user
        ).order_by("path")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        unit = data.get("unit")
        for audience in data.get("audience_units") or ():
            if unit and not audience.path.startswith(unit.path):
                self.add_error(
                    "audience_units",
                    _("%(unit)s is not under %(owner)s.") % {"unit": audience, "owner": unit},
                )
        return data


class ProgrammeForm(_UnitScoped):
    audience_roles = forms.MultipleChoiceField(
        label=_("audience: roles"),
        choices=Person.Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every role."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        people = Person.objects.visible_to(user).filter(is_active=True).select_related("unit")
        model_choice_field(self, "audience_people").queryset = people.order_by(
            "unit__path", "full_name"
        )
        self.fields["audience_units"].required = False

    def clean(self):
        data = super().clean()
        unit = data.get("unit")
        for person in data.get("audience_people") or ():
            if unit and not person.unit.path.startswith(unit.path):
                self.add_error("audience_people", _("%(person)s is not in %(owner)s.")
                               % {"person": person, "owner": unit})  # fmt: skip
        if not data.get("audience_units") and not data.get("audience_people"):
            self.add_error("audience_units", _("Choose units or people."))
        return data

    class Meta:
        model = Programme
        fields = [
            "unit", "name", "courses", "audience_units", "audience_roles", "audience_people",
            "starts_on", "due_days", "recurrence_days", "remind_days_before",
        ]  # fmt: skip
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "audience_people": forms.SelectMultiple(attrs={"size": 8}),
            "courses": forms.CheckboxSelectMultiple,
        }


class DrillForm(_UnitScoped):
    audience_units = forms.ModelMultipleChoiceField(
        label=_("recipients: people of these units"),
        queryset=Unit.objects.none(),
        help_text=_("Everyone active with an e-mail address, in these units and below."),
    )

    class Meta:
        model = Drill
        fields = ["unit", "name", "template", "course"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "template").queryset = DrillTemplate.objects.all()
        model_choice_field(self, "course").queryset = Course.objects.all()


class ScamCheckForm(forms.Form):
    q = forms.CharField(
        label=_("Link, domain, phone number or message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
