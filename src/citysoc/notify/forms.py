"""Forms of the notification pages: a channel with its kind's settings, on/off, filters.

The settings are checked by `configs.clean_config`, the same rules as the API.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from citysoc.core.forms import DATE_WIDGET
from citysoc.core.models import Person, Unit
from citysoc.core.tenancy import scope_for
from citysoc.notify import configs
from citysoc.notify.models import Channel, Delivery, Message
from citysoc.notify.topics import label as topic_label

_TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _config_field(key: str) -> forms.Field:
    """The form field for one config key (all text: `configs` parses and checks them)."""
    fields = {
        "addresses": forms.CharField(
            label=_("E-mail addresses"), widget=_TEXTAREA, help_text=_("One per line.")
        ),
        "url": forms.CharField(label=_("URL"), max_length=2000),
        "headers": forms.CharField(
            label=_("Extra headers"),
            widget=_TEXTAREA,
            help_text=_("One 'Name: value' per line, e.g. Authorization: Bearer …"),
        ),
        "bot_token": forms.CharField(
            label=_("Bot token"), help_text=_("From @BotFather, e.g. 123456789:AA…")
        ),
        "chat_id": forms.CharField(
            label=_("Chat id"),
            help_text=_("A person's or group's id (groups are negative), or @channelname."),
        ),
        "base_url": forms.CharField(
            label=_("Server address"),
            help_text=_("Leave empty for the public service; set it for a local relay."),
        ),
        "access_token": forms.CharField(label=_("OA access token")),
        "user_id": forms.CharField(
            label=_("Zalo user id"), help_text=_("The follower's id for this Official Account.")
        ),
        "url_template": forms.CharField(
            label=_("URL template"),
            max_length=2000,
            help_text=_(
                "With {to} and {text}, e.g. https://sms.example.vn/send?to={to}&msg={text}"
            ),
        ),
        "method": forms.ChoiceField(
            label=_("HTTP method"), choices=[("GET", "GET"), ("POST", "POST")]
        ),
        "numbers": forms.CharField(
            label=_("Phone numbers"), widget=_TEXTAREA, help_text=_("One per line.")
        ),
    }
    field = fields[key]
    field.required = False  # `configs` says which are required, per kind
    return field


def _as_text(value: object) -> str:
    return "\n".join(value) if isinstance(value, list) else str(value or "")


class ChannelForm(forms.ModelForm[Channel]):
    """A channel: name, unit or person, and the settings of its kind (fixed once saved)."""

    class Meta:
        model = Channel
        fields = ["name", "unit", "person"]

    def __init__(self, *args: Any, user: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        units = cast("forms.ModelChoiceField[Unit]", self.fields["unit"])
        units.queryset = Unit.objects.editable_by(user).order_by("path")
        # Checked in clean(): a personal channel takes its person's unit.
        units.required = False
        self.city_wide_allowed = scope_for(user).is_city
        units.empty_label = _("— city-wide —") if self.city_wide_allowed else "---------"
        people = cast("forms.ModelChoiceField[Person]", self.fields["person"])
        people.queryset = Person.objects.editable_by(user).filter(is_active=True)
        people.help_text = _("Set it when this channel reaches one person (their chat, phone…).")
        previous = self.instance.config if self.instance.pk else {}
        for key in configs.KEYS[kind]:
            field = _config_field(key)
            if key in configs.SECRETS[kind] and previous.get(key):
                # Never sent back to the browser: an empty box keeps the saved value.
                field.widget.attrs["placeholder"] = _shown(configs.masked(kind, previous)[key])
                field.help_text = _("Saved and hidden. Leave empty to keep it.")
            elif key in previous:
                field.initial = _as_text(previous[key])
            self.fields[f"config_{key}"] = field
        if kind == "webhook" and previous.get("headers"):
            self.fields["clear_headers"] = forms.BooleanField(
                label=_("Remove the saved headers"), required=False
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        person, unit = data.get("person"), data.get("unit")
        if person is not None:
            if unit is None:
                data["unit"] = person.unit
            elif unit != person.unit:
                self.add_error(
                    "unit",
                    _("%(person)s is in %(unit)s: a personal channel is in its person's unit.")
                    % {"person": person, "unit": person.unit},
                )
        elif unit is None and not self.city_wide_allowed:
            self.add_error("unit", _("Choose the unit this channel belongs to."))
        previous = dict(self.instance.config) if self.instance.pk else {}
        if data.get("clear_headers"):
            previous.pop("headers", None)
        raw = {key: data.get(f"config_{key}") for key in configs.KEYS[self.kind]}
        try:
            self.config = configs.clean_config(
                self.kind, raw, previous=previous, unit=data.get("unit")
            )
        except configs.ConfigError as exc:
            for key, message in exc.errors.items():
                self.add_error(f"config_{key}" if f"config_{key}" in self.fields else None, message)
        return data

    def save(self, commit: bool = True) -> Channel:
        channel = super().save(commit=False)
        channel.unit = self.cleaned_data.get("unit")
        channel.kind = self.kind
        channel.config = self.config
        if commit:
            channel.save()
        return channel


def _shown(value: object) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


class DisableForm(forms.Form):
    reason = forms.CharField(
        label=_("Why"),
        max_length=500,
        help_text=_("Shown on the channel and in the outbox, e.g. 'the officer changed phone'."),
    )


class OutboxFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any"))] + Delivery.Status.choices
    )
    channel = forms.ModelChoiceField(
        label=_("Channel"), queryset=Channel.objects.none(), required=False, empty_label=_("Any")
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=DATE_WIDGET, input_formats=["%d/%m/%Y"]
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=DATE_WIDGET, input_formats=["%d/%m/%Y"]
    )
    q = forms.CharField(label=_("Recipient"), required=False, max_length=100)

    def __init__(self, *args: Any, user: Any, messages: QuerySet[Message], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        channels = cast("forms.ModelChoiceField[Channel]", self.fields["channel"])
        channels.queryset = Channel.objects.visible_to(user).select_related("unit")
        topics = messages.order_by("topic").values_list("topic", flat=True).distinct()
        cast(forms.ChoiceField, self.fields["topic"]).choices = [("", _("Any"))] + [
            (t, topic_label(t)) for t in topics
        ]
