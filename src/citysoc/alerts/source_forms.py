"""Forms of the alert source pages: make a source, change its settings.

They check the shape (addresses, minutes, a policy the unit may use); the token is made by
the model (`AlertSource.new_token`) and shown by the view once.
"""

from __future__ import annotations

import datetime as dt
import ipaddress

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from citysoc.alerts.models import AlertSource, EscalationPolicy
from citysoc.alerts.serializers import CREATABLE_KINDS, policies_for_unit
from citysoc.core.forms import choice_field, model_choice_field
from citysoc.core.models import Unit


class SourceForm(forms.ModelForm):
    """Settings a unit editor changes; unit and kind are chosen once (SourceCreateForm)."""

    expected_every_minutes = forms.IntegerField(
        label=_("Expected at least every (minutes)"),
        required=False,
        min_value=1,
        max_value=60 * 24 * 31,
        help_text=_(
            "Heartbeat: when nothing arrives for longer than this, an alert says the source "
            "went silent. Leave empty for a source that only speaks when something happens."
        ),
    )

    class Meta:
        model = AlertSource
        fields = [
            "name",
            "sender_ips",
            "urgency",
            "escalation_policy",
            "notify_per_minute",
            "enabled",
        ]
        widgets = {"sender_ips": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "sender_ips": _(
                "Syslog: the addresses (or CIDR ranges) of the devices that send, one per line."
            ),
            "urgency": _("Low urgency alerts wait for office hours; high urgency wakes people."),
            "notify_per_minute": _(
                "Beyond this many notifications a minute, the source's alerts are grouped into "
                "one message."
            ),
            "escalation_policy": _("Empty: the unit's default policy, else the city's."),
        }

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        model_choice_field(self, "escalation_policy").queryset = policies_for_unit(unit)
        every = self.instance.expected_every if self.instance.pk else None
        if every is not None:
            self.initial["expected_every_minutes"] = int(every.total_seconds() // 60)

    def clean_sender_ips(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["sender_ips"].splitlines()]
        lines = [line for line in lines if line]
        for number, line in enumerate(lines, start=1):
            try:
                ipaddress.ip_network(line, strict=False)
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(n)d, '%(text)s', is not an IP address or CIDR range."),
                    params={"n": number, "text": line},
                ) from None
        return "\n".join(lines)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        kind = self.instance.kind or data.get("kind")
        if kind == AlertSource.Kind.SYSLOG and not data.get("sender_ips"):
            self.add_error(
                "sender_ips", _("A syslog source needs the sender addresses of its devices.")
            )
        return data

    def save(self, commit: bool = True) -> AlertSource:
        minutes = self.cleaned_data.get("expected_every_minutes")
        self.instance.expected_every = dt.timedelta(minutes=minutes) if minutes else None
        return super().save(commit=commit)


class SourceCreateForm(SourceForm):
    # A form field, not SourceForm's `unit` attribute: Django's form metaclass takes declared
    # fields off the class, which mypy cannot see.
    unit = forms.ModelChoiceField(  # type: ignore[assignment]
        label=_("Unit"), queryset=Unit.objects.none()
    )
    kind = forms.ChoiceField(label=_("Kind"))

    field_order = ["unit", "kind", "name"]

    def __init__(self, *args, units, **kwargs):
        kwargs.setdefault("unit", units.first() or Unit())
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = units
        choice_field(self, "kind").choices = [
            (value, label) for value, label in AlertSource.Kind.choices if value in CREATABLE_KINDS
        ]
        # Every policy the offered units may use; clean() checks the one picked fits the unit.
        chain = {
            int(pk) for path in units.values_list("path", flat=True) for pk in path.split("/") if pk
        }
        model_choice_field(self, "escalation_policy").queryset = EscalationPolicy.objects.filter(
            Q(unit__isnull=True) | Q(unit_id__in=chain)
        )
        self.fields["name"].required = False
        del self.fields["enabled"]  # a new source starts enabled

    def clean(self):
        data = super().clean()
        unit, policy = data.get("unit"), data.get("escalation_policy")
        usable = policies_for_unit(unit) if unit is not None else None
        if policy is not None and usable is not None and not usable.filter(pk=policy.pk).exists():
            self.add_error(
                "escalation_policy",
                _("That policy is another unit's; choose one of %(unit)s's or the city's.")
                % {"unit": unit.name},
            )
        return data

    def save(self, commit: bool = True) -> AlertSource:
        self.instance.unit = self.cleaned_data["unit"]
        self.instance.kind = self.cleaned_data["kind"]
        if not self.instance.name:
            self.instance.name = str(AlertSource.Kind(self.instance.kind).label)
        return super().save(commit=commit)
