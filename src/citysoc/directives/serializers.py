"""JSON shapes of directives (with nested items), assignments and evidence for the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from citysoc.core.models import Unit
from citysoc.core.serializers import ScopedRelationsMixin, UsernameField
from citysoc.core.tenancy import can_see, scope_for
from citysoc.directives.models import ActionItem, Assignment, Attachment, Directive, Evidence

KIND_CHOICES = [k for k in Unit.Kind.values if k != Unit.Kind.CITY]


class ActionItemSerializer(serializers.ModelSerializer):
    applies_to_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=KIND_CHOICES),
        required=False,
        help_text=_("Unit kinds this item is for; empty: every recipient."),
    )

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "order",
            "section",
            "text",
            "applies_to_kinds",
            "due_date",
            "evidence_required",
            "area",
        ]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "filename", "note", "uploaded_at"]


class DirectiveSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    items = ActionItemSerializer(many=True, required=False)
    attachments = AttachmentSerializer(many=True, read_only=True)
    recipient_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=KIND_CHOICES), required=False
    )
    recipient_units = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=Unit.objects.all(),
        help_text=_("Codes of the units chosen one by one."),
    )
    unit = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = Directive
        fields = [
            "id",
            "unit",
            "doc_type",
            "number",
            "symbol",
            "reference",
            "place",
            "date",
            "issuing_body",
            "subject",
            "legal_bases",
            "body",
            "signing_form",
            "signing_body",
            "head_title",
            "signer_title",
            "signer_name",
            "recipient_kinds",
            "recipient_units",
            "addressees",
            "copies_to",
            "status",
            "issued_at",
            "template",
            "items",
            "attachments",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "issued_at", "template", "reference"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # A unit sees which of *its* units the directive names, not the other recipients.
        user = getattr(self.context.get("request"), "user", None)
        if not scope_for(user).is_city:
            mine = {u.code for u in instance.recipient_units.all() if can_see(user, u)}
            data["recipient_units"] = [c for c in data["recipient_units"] if c in mine]
        return data

    def _write_items(self, directive: Directive, items: list[dict] | None) -> None:
        if items is None:
            return
        if directive.assignments.exists():
            raise serializers.ValidationError(
                {
                    "items": _(
                        "This directive was issued: its items already have answers. Change "
                        "items one by one in the web form instead of replacing the list."
                    )
                }
            )
        directive.items.all().delete()
        for data in items:
            ActionItem.objects.create(directive=directive, **data)

    def create(self, validated_data):
        items = validated_data.pop("items", None)
        directive = super().create(validated_data)
        self._write_items(directive, items or [])
        return directive

    def update(self, instance, validated_data):
        items = validated_data.pop("items", None)
        directive = super().update(instance, validated_data)
        self._write_items(directive, items)
        return directive


class EvidenceSerializer(serializers.ModelSerializer):
    uploaded_by = UsernameField()

    class Meta:
        model = Evidence
        fields = ["id", "filename", "note", "uploaded_by", "uploaded_at"]


class AssignmentSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    directive: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    item = ActionItemSerializer(read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "directive",
            "unit",
            "item",
            "status",
            "reason",
            "report",
            "answered_at",
            "evidence",
            "updated_at",
        ]
        read_only_fields = ["answered_at", "updated_at"]
