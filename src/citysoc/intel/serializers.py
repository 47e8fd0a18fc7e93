"""API shapes of list versions, sightings and clean-up tasks (unit by code everywhere)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from citysoc.intel.models import CleanupTask, ListVersion, Sighting, sees_lists


class RejectedRowSerializer(serializers.Serializer):
    """One row of a list that was not taken, with the reason (documentation only)."""

    row = serializers.IntegerField()
    value = serializers.CharField()
    reason = serializers.CharField()


class ListVersionSerializer(serializers.ModelSerializer):
    # "source" and "label" are API field names that DRF's stubs also declare on Field itself.
    source = serializers.CharField(source="source.name", read_only=True)  # type: ignore[assignment]
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    rejected_rows = serializers.SerializerMethodField(
        help_text=_("The rows not taken, for city roles; null for units (the page hides them).")
    )

    class Meta:
        model = ListVersion
        fields = [
            "id",
            "source",
            "period",
            "label",
            "received_on",
            "filename",
            "sha256",
            "format",
            "status",
            "rows",
            "indicator_count",
            "rejected_count",
            "rejected_rows",
            "skipped",
            "sightings_count",
            "tasks_opened",
            "message",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    @extend_schema_field(RejectedRowSerializer(many=True, allow_null=True))
    def get_rejected_rows(self, version: ListVersion) -> list[dict] | None:
        # Whole lists are city data: the rejected rows carry other units' addresses.
        request = self.context.get("request")
        if request is None or not sees_lists(request.user):
            return None
        return version.rejected


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    source = serializers.CharField(max_length=120)  # type: ignore[assignment]  # see above
    period = serializers.CharField(max_length=40, required=False, allow_blank=True)
    format = serializers.CharField(max_length=40, required=False, default="auto")


class CleanupSummaryRowSerializer(serializers.Serializer):
    """Clean-up tasks of one unit counted by state (`overview.units_ranked`)."""

    unit = serializers.CharField(help_text=_("Code of the unit."))
    name = serializers.CharField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    cleaned = serializers.IntegerField()
    verified = serializers.IntegerField()
    reopened = serializers.IntegerField()
    total = serializers.IntegerField()


class SightingSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    host = serializers.CharField(source="host.hostname", read_only=True, allow_null=True)
    list_version = serializers.IntegerField(source="version_id", read_only=True)
    list = serializers.CharField(source="version.__str__", read_only=True)

    class Meta:
        model = Sighting
        fields = [
            "id",
            "unit",
            "host",
            "ip",
            "family",
            "is_c2",
            "via",
            "remote",
            "attributed",
            "list_version",
            "list",
            "log",
            "first_seen",
            "last_seen",
            "count",
            "evidence",
            "created_at",
        ]
        read_only_fields = fields


class CleanupTaskSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    host = serializers.CharField(source="host.hostname", read_only=True, allow_null=True)
    list_version = serializers.IntegerField(source="last_seen_version_id", read_only=True)
    opened_by_version = serializers.IntegerField(source="opened_by_version_id", read_only=True)
    verified_by_version = serializers.IntegerField(
        source="verified_by_version_id", read_only=True, allow_null=True
    )
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = CleanupTask
        fields = [
            "id",
            "unit",
            "host",
            "ip",
            "family",
            "status",
            "priority",
            "priority_reason",
            "due_date",
            "overdue",
            "list_version",
            "opened_by_version",
            "verified_by_version",
            "times_listed",
            "reopened_count",
            "tool",
            "findings",
            "cleaned_at",
            "verified_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [f for f in fields if f not in ("status", "tool", "findings")]

    def validate_status(self, value: str) -> str:
        # A unit moves its task forward; verification and reopening belong to the lists.
        allowed = {CleanupTask.Status.IN_PROGRESS, CleanupTask.Status.CLEANED}
        if value not in allowed and (self.instance is None or value != self.instance.status):
            raise serializers.ValidationError(
                "Set 'in_progress' or 'cleaned'; 'verified' and 'reopened' are set by the next "
                "list version."
            )
        return value
