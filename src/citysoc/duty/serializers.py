"""API shapes of rosters and duty-log entries (unit by code everywhere)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from citysoc.core.models import Unit
from citysoc.core.serializers import LocalTimeField, ScopedRelationsMixin, UnitCodeField
from citysoc.duty import logbook
from citysoc.duty.models import LogEntry, Roster, Shift


class ShiftSerializer(serializers.ModelSerializer):
    layer = serializers.CharField(source="layer.name", read_only=True)
    level = serializers.IntegerField(source="layer.level", read_only=True)
    people = serializers.SerializerMethodField()
    start_time = LocalTimeField(read_only=True, allow_null=True)
    end_time = LocalTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Shift
        fields = ["id", "name", "layer", "level", "repeat", "start_time", "end_time", "weekdays",
                  "first_day", "last_day", "once_start", "once_end", "people"]  # fmt: skip
        read_only_fields = fields

    def get_people(self, shift) -> list[str]:
        return [p.full_name for p in shift.people.all()]


class RosterSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    shifts = ShiftSerializer(many=True, read_only=True)
    on_duty_now = serializers.SerializerMethodField(
        help_text="People on duty on this roster now: id, full_name, phone."
    )

    class Meta:
        model = Roster
        fields = ["id", "unit", "unit_name", "name", "starts_on", "ends_on", "note", "shifts",
                  "on_duty_now", "updated_at"]  # fmt: skip
        read_only_fields = fields

    def get_on_duty_now(self, roster) -> list[dict]:
        people = self.context.get("on_duty_now", {}).get(roster.pk, [])
        return [{"id": p.pk, "full_name": p.full_name, "phone": p.phone} for p in people]


class VisibleUnitField(UnitCodeField):
    """A unit by code, limited to those the caller may see (others: 'no unit')."""

    def get_queryset(self):
        user = getattr(self.context.get("request"), "user", None)
        return Unit.objects.visible_to(user)


class LogEntrySerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    unit = VisibleUnitField()
    person = serializers.CharField(source="person.full_name", read_only=True, allow_null=True)
    written_by = serializers.CharField(
        source="written_by.username", read_only=True, allow_null=True
    )

    class Meta:
        model = LogEntry
        fields = ["id", "unit", "at", "checked", "seen", "done", "person", "written_by",
                  "created_at"]  # fmt: skip
        read_only_fields = ["id", "person", "written_by", "created_at"]

    def validate_at(self, value: dt.datetime) -> dt.datetime:
        try:
            logbook.check_entry_time(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        return value
