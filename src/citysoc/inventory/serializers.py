"""JSON shapes of information systems, hosts, IP ranges and domains for the REST API."""

from __future__ import annotations

import ipaddress

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from citysoc.core.models import Person, Unit
from citysoc.core.serializers import (
    ModelCleanMixin,
    ScopedRelationsMixin,
    UniqueInUnitMixin,
    UnitCodeField,
    scoped_queryset,
)
from citysoc.core.tenancy import scope_for
from citysoc.inventory import asset_fields, claims, system_fields
from citysoc.inventory.claim_reasons import OVERLAP, TOO_WIDE
from citysoc.inventory.columns import field_names
from citysoc.inventory.models import (
    ClaimState,
    Domain,
    Host,
    InformationSystem,
    IpRange,
    SecurityRegime,
)
from citysoc.lib import iprange
from citysoc.lib.domains import DomainError, normalize_domain


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """An id that must name a row the requesting user can see; others read as unknown."""

    def __init__(self, model, **kwargs) -> None:
        self.model = model
        kwargs.setdefault(
            "error_messages",
            {"does_not_exist": _("Nothing with id {pk_value} here is visible to you.")},
        )
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return scoped_queryset(self.model.objects.all(), user)


def _same_unit(unit: Unit, rows, field: str) -> None:
    for row in rows:
        if row is not None and row.unit_id != unit.pk:
            raise serializers.ValidationError(
                {
                    field: _("'%(row)s' belongs to unit %(other)s, not to %(unit)s.")
                    % {"row": row, "other": row.unit.code, "unit": unit.code}
                }
            )


def _unit_of(serializer: serializers.ModelSerializer, attrs: dict) -> Unit:
    """The unit a write is for: the one given, or on a partial update the stored one."""
    if attrs.get("unit"):
        return attrs["unit"]
    if serializer.instance is None:  # cannot happen: creating requires a unit
        raise serializers.ValidationError({"unit": _("This field is required.")})
    return serializer.instance.unit


class InformationSystemSerializer(
    ScopedRelationsMixin, ModelCleanMixin, UniqueInUnitMixin, serializers.ModelSerializer
):
    unique_field = "name"
    unit = UnitCodeField()
    info_classes = serializers.ListField(
        child=serializers.ChoiceField(choices=InformationSystem.InfoClass.choices),
        required=False,
        help_text=_("Information classes handled: public, private, personal, state_secret."),
    )
    regime = serializers.SlugRelatedField(
        slug_field="code",
        queryset=SecurityRegime.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Code of the regulation the level was set under."),
    )
    level_approved = serializers.BooleanField(
        read_only=True, help_text=_("True when the level is set and its dossier approved.")
    )

    class Meta:
        model = InformationSystem
        validators: list = []  # UniqueInUnitMixin says it better
        fields = system_fields.API_FIELDS


class ConflictSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["range", "host"])
    id = serializers.IntegerField(source="pk")
    unit = serializers.CharField(source="unit.code")
    entry = serializers.CharField()


class ClaimFieldsMixin(serializers.Serializer):
    """The approval of a host or range: read-only, set by `claims.settle` on every write."""

    claim_state = serializers.ChoiceField(
        choices=ClaimState.choices,
        read_only=True,
        help_text=_(
            "approved: used to attribute sightings; pending: waits for a city role (see "
            "claim_reasons); rejected: refused by the city (see claim_note)."
        ),
    )
    claim_reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=[OVERLAP, TOO_WIDE]),
        read_only=True,
        help_text=_(
            "Why it waits: overlap (another unit's registered space), too_wide (wider than "
            "the city's limit)."
        ),
    )
    claim_note = serializers.CharField(read_only=True, help_text=_("The city's note."))
    claim_conflicts = serializers.SerializerMethodField(
        help_text=_(
            "City roles only (empty for others): the other units' entries a pending one overlaps."
        )
    )

    @extend_schema_field(ConflictSerializer(many=True))
    def get_claim_conflicts(self, obj) -> list:
        request = self.context.get("request")
        if obj.claim_state != ClaimState.PENDING or request is None:
            return []
        if not scope_for(request.user).is_city:
            return []  # a unit is told "another unit", never which one
        return list(ConflictSerializer(claims.conflicts_of(obj), many=True).data)

    def _claimant(self):
        request = self.context.get("request")
        return getattr(request, "user", None)


CLAIM_FIELDS = ["claim_state", "claim_reasons", "claim_note", "claim_conflicts"]
STAMPS = ["created_at", "updated_at"]


class HostSerializer(
    ScopedRelationsMixin, ClaimFieldsMixin, UniqueInUnitMixin, serializers.ModelSerializer
):
    unique_field = "hostname"
    unit = UnitCodeField()
    owner = VisibleRelatedField(
        Person, required=False, allow_null=True, help_text=_("Id of the person who owns it.")
    )
    systems = VisibleRelatedField(
        InformationSystem,
        many=True,
        required=False,
        help_text=_("Ids of the information systems it serves (same unit)."),
    )

    class Meta:
        model = Host
        validators: list = []
        fields = ["id", *field_names(asset_fields.HOST_FIELDS), *CLAIM_FIELDS, *STAMPS]

    def create(self, validated_data: dict) -> Host:
        systems = validated_data.pop("systems", None)
        host = Host(**validated_data)
        claims.settle(self._claimant(), host)
        host.save()
        if systems is not None:
            host.systems.set(systems)
        return host

    def update(self, instance: Host, validated_data: dict) -> Host:
        systems = validated_data.pop("systems", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        claims.settle(self._claimant(), instance)
        instance.save()
        if systems is not None:
            instance.systems.set(systems)
        return instance

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        unit = _unit_of(self, attrs)
        if "systems" in attrs:
            systems = attrs["systems"]
        else:
            systems = self.instance.systems.all() if self.instance is not None else []
        _same_unit(unit, systems, "systems")
        return attrs


class IpRangeSerializer(
    ScopedRelationsMixin, ClaimFieldsMixin, UniqueInUnitMixin, serializers.ModelSerializer
):
    unique_field = "text"
    unit = UnitCodeField()
    text = serializers.CharField(
        max_length=100,
        help_text=_("A CIDR (10.0.0.0/24, 2001:db8::/48), one address, or a range a-b."),
    )
    first = serializers.SerializerMethodField(help_text=_("First address of the range."))
    last = serializers.SerializerMethodField(help_text=_("Last address of the range."))
    size = serializers.SerializerMethodField(help_text=_("Number of addresses (as text)."))
    provider = UnitCodeField(
        queryset=Unit.objects.filter(kind=Unit.Kind.ISP),
        required=False,
        allow_null=True,
        help_text=_("Code of the ISP unit that provides it."),
    )

    class Meta:
        model = IpRange
        validators: list = []
        # What the range covers is worked out from `text` and shown after the declared fields.
        computed = ["version", "first", "last", "size"]
        fields = ["id", *field_names(asset_fields.RANGE_FIELDS), *computed, *CLAIM_FIELDS, *STAMPS]
        read_only_fields = ["version"]

    def validate_text(self, value: str) -> str:
        try:
            return iprange.format_range(iprange.parse_range(value))
        except iprange.RangeError as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def get_first(self, obj: IpRange) -> str:
        return _address(obj.version, obj.first_key)

    def get_last(self, obj: IpRange) -> str:
        return _address(obj.version, obj.last_key)

    def get_size(self, obj: IpRange) -> str:
        # Text: an IPv6 /32 holds 2^96 addresses, more than a JSON client's number keeps.
        return str(obj.size)

    def create(self, validated_data: dict) -> IpRange:
        rng = IpRange(**validated_data)
        rng.set_range(validated_data["text"])
        claims.settle(self._claimant(), rng)
        rng.save()
        return rng

    def update(self, instance: IpRange, validated_data: dict) -> IpRange:
        for name, value in validated_data.items():
            setattr(instance, name, value)
        instance.set_range(instance.text)
        claims.settle(self._claimant(), instance)
        instance.save()
        return instance


def _address(version: int, key: str) -> str:
    value = int(key, 16)
    address = ipaddress.IPv4Address(value) if version == 4 else ipaddress.IPv6Address(value)
    return str(address)


class DomainSerializer(ScopedRelationsMixin, UniqueInUnitMixin, serializers.ModelSerializer):
    unique_field = "name"
    unit = UnitCodeField()
    name = serializers.CharField(
        max_length=253,
        help_text=_("Domain name; stored lower case, without a final dot, IDN as punycode."),
    )
    system = VisibleRelatedField(
        InformationSystem,
        required=False,
        allow_null=True,
        help_text=_("Id of the information system it serves (same unit)."),
    )

    class Meta:
        model = Domain
        validators: list = []
        fields = ["id", *field_names(asset_fields.DOMAIN_FIELDS), *STAMPS]

    def validate_name(self, value: str) -> str:
        try:
            return normalize_domain(value)
        except DomainError as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        unit = _unit_of(self, attrs)
        system = attrs["system"] if "system" in attrs else getattr(self.instance, "system", None)
        _same_unit(unit, [system], "system")
        return attrs
