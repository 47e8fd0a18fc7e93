"""Forms of the alert pages: list filters, notes, maintenance windows, policies, incidents.

They check the *shape* of what was sent and offer only the user's own units, sources and
channels; the rules live in `intake`, `escalation` and `incidents`.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from citysoc.alerts.models import (
    SEVERITIES,
    Alert,
    AlertSource,
    EscalationPolicy,
    EscalationStep,
    Incident,
    MaintenanceWindow,
)
from citysoc.core.forms import model_choice_field
from citysoc.core.models import Unit
from citysoc.core.tenancy import scope_for
from citysoc.notify.models import Channel

DATETIME_WIDGET = forms.DateTimeInput(
    format="%d/%m/%Y %H:%M", attrs={"placeholder": "dd/mm/yyyy hh:mm"}
)
OPEN = "open"


class AlertFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(OPEN, _("Open")), *Alert.Status.choices, ("all", _("Any"))],
    )
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=[("", _("Any")), *SEVERITIES]
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Any"),
        to_field_name="code",
    )
    source = forms.ModelChoiceField(
        label=_("Source"), queryset=AlertSource.objects.none(), required=False, empty_label=_("Any")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = Unit.objects.visible_to(user)
        model_choice_field(self, "source").queryset = AlertSource.objects.visible_to(
            user
        ).select_related("unit")


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class PromoteForm(forms.Form):
    title = forms.CharField(label=_("Incident title"), max_length=300, required=False)
    alert = forms.ModelMultipleChoiceField(label=_("Alerts"), queryset=Alert.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "alert").queryset = Alert.objects.editable_by(user)


class MaintenanceForm(forms.ModelForm):
    class Meta:
        model = MaintenanceWindow
        fields = ["unit", "source", "starts_at", "ends_at", "reason"]
        widgets = {"starts_at": DATETIME_WIDGET, "ends_at": DATETIME_WIDGET}
        help_texts = {"source": _("Empty: every source of the unit.")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = Unit.objects.editable_by(user)
        model_choice_field(self, "source").queryset = AlertSource.objects.editable_by(
            user
        ).select_related("unit")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start."))
        source, unit = data.get("source"), data.get("unit")
        if source and unit and source.unit_id != unit.pk:
            self.add_error(
                "source",
                _("This source belongs to another unit: %(unit)s.") % {"unit": source.unit},
            )
        return data


class PolicyForm(forms.ModelForm):
    class Meta:
        model = EscalationPolicy
        fields = ["name", "unit", "is_default", "repeat"]
        help_texts = {
            "unit": _("Empty: a policy of the city, for units without one of their own."),
            "is_default": _("Used for every source of the unit that names no policy."),
            "repeat": _("How many more times all steps run again while nobody acknowledges."),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = Unit.objects.editable_by(user)
        # Only the city's administrators write the city's own policies.
        self.fields["unit"].required = not scope_for(user).is_city
        self.fields["repeat"].widget.attrs["max"] = 9
        self.fields["repeat"].validators.append(_max_repeat)


def _max_repeat(value: int) -> None:
    if value > 9:
        raise forms.ValidationError(_("At most 9 repeats: after that, nobody is reading."))


class StepForm(forms.ModelForm):
    class Meta:
        model = EscalationStep
        fields = ["position", "target", "channel", "wait_minutes"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "channel").queryset = Channel.objects.visible_to(user).filter(
            person__isnull=True
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("target") == EscalationStep.Target.CHANNEL and not data.get("channel"):
            self.add_error("channel", _("Choose the channel this step notifies."))
        return data


class BaseStepFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        positions = []
        kept = 0
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or form.cleaned_data.get("DELETE"):
                continue
            kept += 1
            positions.append(form.cleaned_data.get("position"))
        if kept == 0:
            raise forms.ValidationError(_("A policy needs at least one step."))
        if len(positions) != len(set(positions)):
            raise forms.ValidationError(_("Two steps have the same order number."))


StepFormSet = forms.inlineformset_factory(
    EscalationPolicy,
    EscalationStep,
    form=StepForm,
    formset=BaseStepFormSet,
    extra=1,
    can_delete=True,
)


class IncidentNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    status = forms.ChoiceField(label=_("Status"), choices=Incident.Status.choices)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not data.get("text") and not self.has_changed_status:
            raise forms.ValidationError(_("Write a note or change the status."))
        return data

    def __init__(self, *args, incident=None, **kwargs):
        self.incident = incident
        super().__init__(*args, **kwargs)
        if incident is not None:
            self.fields["status"].initial = incident.status

    @property
    def has_changed_status(self) -> bool:
        status = self.cleaned_data.get("status") if hasattr(self, "cleaned_data") else None
        return bool(self.incident is not None and status and status != self.incident.status)
