"""API shapes of monitors and their findings (unit by code everywhere)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from citysoc.core import outbound
from citysoc.core.serializers import ScopedRelationsMixin, UnitCodeField
from citysoc.inventory.models import Domain
from citysoc.inventory.serializers import VisibleRelatedField
from citysoc.webwatch.models import Finding, Monitor

STATE_FIELDS = [
    "state",
    "is_up",
    "state_since",
    "last_checked_at",
    "last_status",
    "last_response_ms",
    "last_error",
    "tls_expires_at",
    "domain_expires_at",
    "next_check_at",
    "baseline_at",
    "open_findings",
    "created_at",
    "updated_at",
]


class MonitorSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    unit = UnitCodeField()
    domain = VisibleRelatedField(
        Domain,
        required=False,
        allow_null=True,
        help_text=_("Id of the inventory domain this website belongs to (same unit)."),
    )
    state = serializers.CharField(read_only=True, help_text=_("up, down or unknown."))
    open_findings = serializers.SerializerMethodField()

    class Meta:
        model = Monitor
        validators: list = []
        fields = ["id", "unit", *Monitor.SETTINGS, *STATE_FIELDS]
        read_only_fields = STATE_FIELDS

    def get_open_findings(self, obj: Monitor) -> int:
        annotated = getattr(obj, "open_findings_count", None)
        if annotated is not None:
            return annotated
        return obj.findings.filter(status=Finding.Status.OPEN).count()

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        unit = attrs.get("unit") or getattr(self.instance, "unit", None)
        domain = attrs["domain"] if "domain" in attrs else getattr(self.instance, "domain", None)
        if unit is not None and domain is not None and domain.unit_id != unit.pk:
            raise serializers.ValidationError(
                {
                    "domain": _("That domain belongs to another unit than %(unit)s.")
                    % {"unit": unit.code}
                }
            )
        url = attrs.get("url", getattr(self.instance, "url", None))
        if url:
            try:
                outbound.validate_url(url, unit)
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"url": exc.messages}) from None
        clash = Monitor.objects.filter(unit=unit, url=url)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if unit is not None and clash.exists():
            raise serializers.ValidationError(
                {
                    "url": _("Unit %(unit)s already watches %(url)s.")
                    % {"unit": unit.code, "url": url}
                }
            )
        return attrs


class FindingSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    monitor = serializers.IntegerField(source="monitor_id", read_only=True)
    check = serializers.CharField(source="check_name", read_only=True)
    dedup_key = serializers.CharField(read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "unit",
            "monitor",
            "check",
            "key",
            "dedup_key",
            "severity",
            "title",
            "evidence",
            "status",
            "first_seen",
            "last_seen",
            "times_seen",
            "resolved_at",
            "accepted_at",
        ]
        read_only_fields = fields
