"""API shapes of alerts and alert sources (unit by code everywhere; tokens shown once)."""

from __future__ import annotations

import datetime as dt
import ipaddress

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from citysoc.alerts import intake
from citysoc.alerts.models import Alert, AlertSource, EscalationPolicy
from citysoc.core.models import Unit
from citysoc.core.serializers import ScopedRelationsMixin
from citysoc.core.tenancy import scope_for

# Kinds a person may create; webwatch and system sources are citysoc's own.
CREATABLE_KINDS = [*intake.HTTP_KINDS, AlertSource.Kind.SYSLOG.value]


class AlertSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    source_name = serializers.CharField(source="source.name", read_only=True)
    source_kind = serializers.CharField(source="source.kind", read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "unit",
            "source",
            "source_name",
            "source_kind",
            "dedup_key",
            "count",
            "status",
            "severity",
            "severity_word",
            "urgency",
            "summary",
            "host",
            "src_ip",
            "dst_ip",
            "first_seen",
            "last_seen",
            "silenced",
            "acknowledged_at",
            "acknowledged_by",
            "resolved_at",
            "resolved_by",
            "incident",
            "links",
            "details",
        ]
        read_only_fields = fields


def policies_for_unit(unit: Unit):
    """Escalation policies a unit's source may use: the city's, the unit's and its parents'."""
    chain = [int(pk) for pk in unit.path.strip("/").split("/") if pk]
    return EscalationPolicy.objects.filter(Q(unit__isnull=True) | Q(unit_id__in=chain))


def _may_use(unit: Unit, policy: EscalationPolicy) -> bool:
    return policies_for_unit(unit).filter(pk=policy.pk).exists()


class UsablePolicyField(serializers.PrimaryKeyRelatedField):
    """A policy the caller's sources may use: their units', their parents' or the city's.

    Any other unit's policy is "does not exist", so its id tells nothing about it.
    """

    shared_reason = "the city's policies and the parent units' ones serve the units below"

    def get_queryset(self):
        user = getattr(self.context.get("request"), "user", None)
        scope = scope_for(user)
        if scope.everything:
            return EscalationPolicy.objects.all()
        parents = {int(pk) for path in scope.view_paths for pk in path.strip("/").split("/")}
        return EscalationPolicy.objects.filter(
            Q(pk__in=EscalationPolicy.objects.visible_to(user))
            | Q(unit__isnull=True)
            | Q(unit_id__in=parents)
        )


class AlertSourceSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all())
    kind: serializers.Field = serializers.ChoiceField(
        choices=AlertSource.Kind.choices,
        help_text="generic, wazuh, suricata, zeek, alertmanager or syslog.",
    )
    expected_every_minutes = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=60 * 24 * 31,
        help_text="Heartbeat: raise an alert when the source is silent for longer.",
    )
    escalation_policy = UsablePolicyField(required=False, allow_null=True)
    # A form post that leaves the box out means "not said", not "disabled".
    enabled = serializers.BooleanField(default=True)
    intake_url = serializers.SerializerMethodField()

    class Meta:
        model = AlertSource
        fields = [
            "id",
            "unit",
            "kind",
            "name",
            "token_prefix",
            "intake_url",
            "sender_ips",
            "urgency",
            "escalation_policy",
            "notify_per_minute",
            "expected_every_minutes",
            "enabled",
            "last_event_at",
            "created_at",
        ]
        read_only_fields = ["id", "token_prefix", "intake_url", "last_event_at", "created_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_intake_url(self, source: AlertSource) -> str | None:
        return intake.intake_url(source.kind) if source.kind in intake.HTTP_KINDS else None

    def validate_kind(self, value: str) -> str:
        if value not in CREATABLE_KINDS:
            raise serializers.ValidationError(
                _("Sources of kind '%(kind)s' are citysoc's own. Choose one of: %(known)s.")
                % {"kind": value, "known": ", ".join(CREATABLE_KINDS)}
            )
        return value

    def validate_sender_ips(self, value: str) -> str:
        lines = [line.strip() for line in value.splitlines() if line.strip()]
        for number, line in enumerate(lines, start=1):
            try:
                ipaddress.ip_network(line, strict=False)
            except ValueError:
                raise serializers.ValidationError(
                    _("Line %(n)d, '%(text)s', is not an IP address or CIDR range.")
                    % {"n": number, "text": line}
                ) from None
        return "\n".join(lines)

    def to_representation(self, source):
        data = super().to_representation(source)
        every = source.expected_every
        data["expected_every_minutes"] = None if every is None else int(every.total_seconds() // 60)
        return data

    def validate(self, attrs: dict) -> dict:
        if self.instance is not None:
            for fixed in ("unit", "kind"):
                if fixed in attrs and attrs[fixed] != getattr(self.instance, fixed):
                    raise serializers.ValidationError(
                        {fixed: _("A source's unit and kind cannot change; make a new source.")}
                    )
        unit = attrs.get("unit") or getattr(self.instance, "unit", None)
        policy = attrs.get("escalation_policy")
        if policy is not None and unit is not None and not _may_use(unit, policy):
            raise serializers.ValidationError(
                {"escalation_policy": _("That policy is another unit's; choose one of yours.")}
            )
        if "expected_every_minutes" in attrs:
            minutes = attrs.pop("expected_every_minutes")
            attrs["expected_every"] = None if minutes is None else dt.timedelta(minutes=minutes)
        kind = attrs.get("kind") or getattr(self.instance, "kind", "")
        if kind == AlertSource.Kind.SYSLOG and not (
            attrs.get("sender_ips") or getattr(self.instance, "sender_ips", "")
        ):
            raise serializers.ValidationError(
                {"sender_ips": _("A syslog source needs the sender addresses of its devices.")}
            )
        return attrs


class AlertSourceCreatedSerializer(AlertSourceSerializer):
    """The answer to a create or a token rotation: the only time the token is shown."""

    kind = serializers.CharField(read_only=True)
    token = serializers.CharField(
        read_only=True, help_text="Shown this once; only its hash is kept."
    )

    class Meta(AlertSourceSerializer.Meta):
        fields = [*AlertSourceSerializer.Meta.fields, "token"]
