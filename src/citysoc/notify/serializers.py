"""API shapes of notifications (messages with their deliveries) and channels.

A channel's `config` is write-only for secrets: responses show it masked, and a change
that leaves a secret out keeps the saved one (the same rules as the page, `configs`).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from citysoc.core.models import Person, Unit
from citysoc.core.serializers import ScopedRelationsMixin
from citysoc.notify import configs
from citysoc.notify.models import Channel, Delivery, Message


class DeliverySerializer(serializers.ModelSerializer[Delivery]):
    channel_kind = serializers.CharField(source="channel.kind", read_only=True)
    unit = serializers.CharField(source="channel.unit.code", read_only=True, allow_null=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "channel",
            "channel_kind",
            "unit",
            "recipient",
            "status",
            "attempts",
            "last_error",
            "sent_at",
            "next_attempt_at",
        ]
        read_only_fields = fields


class MessageSerializer(serializers.ModelSerializer[Message]):
    # The viewset prefetches only the deliveries the caller may see.
    deliveries = DeliverySerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "subject",
            "topic",
            "created_at",
            "related_type",
            "related_id",
            "deliveries",
        ]
        read_only_fields = fields


class ChannelSerializer(ScopedRelationsMixin, serializers.ModelSerializer[Channel]):
    unit = serializers.SlugRelatedField(
        slug_field="code", queryset=Unit.objects.all(), allow_null=True, required=False
    )
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), allow_null=True, required=False
    )
    config = serializers.JSONField(
        help_text="Settings of the kind; secrets come back masked and are kept when left out."
    )

    class Meta:
        model = Channel
        fields = [
            "id",
            "unit",
            "person",
            "kind",
            "name",
            "config",
            "enabled",
            "disabled_reason",
            "last_error",
            "last_ok_at",
            "created_at",
        ]
        read_only_fields = ["last_error", "last_ok_at", "created_at"]

    def to_representation(self, instance: Channel) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["config"] = configs.masked(instance.kind, instance.config)
        return data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance
        kind = attrs.get("kind", instance.kind if instance else None)
        if instance is not None and kind != instance.kind:
            raise serializers.ValidationError(
                {"kind": _("A channel's kind cannot change: add a new channel.")}
            )
        person = attrs.get("person", instance.person if instance else None)
        if person is not None:
            unit = attrs.get("unit", person.unit)
            if unit != person.unit:
                raise serializers.ValidationError(
                    {
                        "unit": _(
                            "%(person)s is in %(unit)s: a personal channel is in its person's unit."
                        )
                        % {"person": person, "unit": person.unit}
                    }
                )
            attrs["unit"] = person.unit
        if "config" in attrs or instance is None:
            previous = instance.config if instance else {}
            raw = attrs.get("config") or {}
            if not isinstance(raw, dict):
                raise serializers.ValidationError(
                    {"config": _("Give the settings as a JSON object.")}
                )
            try:
                unit = attrs.get("unit", instance.unit if instance else None)
                attrs["config"] = configs.clean_config(str(kind), raw, previous=previous, unit=unit)
            except configs.ConfigError as exc:
                raise serializers.ValidationError(
                    {"config": [f"{key}: {text}" for key, text in exc.errors.items()]}
                ) from None
        if attrs.get("enabled") is True:
            attrs.setdefault("disabled_reason", "")
        return attrs
