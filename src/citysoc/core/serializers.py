"""JSON shapes of units, people and audit entries for the REST API.

Serializers check the *shape* of input. Who may write where is decided in `core.api`
with `citysoc.core.tenancy`, so that the same rule reads the same in every viewset.
Which rows a related-object field may name is decided once, by `ScopedRelationsMixin`.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import RelatedField

from citysoc.core.models import AuditEntry, Person, Unit

# Reference data that is the same for every unit and readable by every signed-in user:
# requirement libraries, security regimes, and the units themselves (the city's
# organisation chart: codes and names are printed on every directive letter). A field
# naming a unit as the *target* of a write is still refused with 403 by the viewset's
# tenancy check (`check_unit`), before any other validation can tell what that unit holds.
SHARED_REFERENCE_MODELS = frozenset(
    {"core.unit", "compliance.library", "compliance.requirement", "inventory.securityregime"}
)


def scoped_queryset(queryset: QuerySet, user) -> QuerySet:
    """`queryset` narrowed to the rows `user` may see (filters already on it are kept)."""
    if queryset.model._meta.label_lower in SHARED_REFERENCE_MODELS:
        return queryset
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(user)
    raise ImproperlyConfigured(
        f"{queryset.model._meta.label} has no visible_to(): a serializer field naming it "
        "cannot be limited to the caller's units (give the model a scoped queryset)."
    )


class ScopedRelationsMixin:
    """Every writable related-object field resolves only inside the caller's scope.

    An id or code of a row the caller cannot see answers "does not exist", exactly like
    an id that exists nowhere: a validation message must never name another unit's
    person, system or policy (posting `person=<id>` used to list the whole directory).
    A field that deliberately offers rows beyond the caller's own units (the city's
    escalation policies) says why in `shared_reason`; the convention test lists those.
    """

    def get_fields(self):
        fields = super().get_fields()  # type: ignore[misc]
        user = getattr(self.context.get("request"), "user", None)  # type: ignore[attr-defined]
        for field in fields.values():
            relation = getattr(field, "child_relation", field)
            if not isinstance(relation, RelatedField) or relation.read_only:
                continue
            # DRF's stubs type the attribute as a Manager, whose descriptor mypy then applies.
            current = relation.queryset  # type: ignore[arg-type]
            if getattr(relation, "shared_reason", "") or current is None:
                continue  # a declared exception, or a field whose get_queryset scopes itself
            relation.queryset = scoped_queryset(current.all(), user)  # type: ignore[arg-type]
        return fields


class UnitCodeField(serializers.SlugRelatedField):
    """A unit given and shown by its code, e.g. `"ward-a"`."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("queryset", Unit.objects.all())
        kwargs.setdefault("help_text", _("Code of the unit, e.g. ward-a."))
        kwargs.setdefault(
            "error_messages",
            {
                "does_not_exist": _("There is no unit with code '{value}'."),
                "invalid": _("Give the unit's code as text."),
            },
        )
        super().__init__(slug_field="code", **kwargs)

    def get_choices(self, cutoff=None):
        # The browsable API's drop-down lists only the units this user can see.
        user = getattr(self.context.get("request"), "user", None)
        visible = Unit.objects.visible_to(user)
        choices = super().get_choices(cutoff)
        codes = set(visible.filter(code__in=list(choices)).values_list("code", flat=True))
        return {code: label for code, label in choices.items() if code in codes}

    def to_internal_value(self, data) -> Unit:
        unit = super().to_internal_value(data)
        # Refuse a unit the user may not write to *before* any other check runs, so a
        # "name already taken" answer never tells what another unit holds.
        check = getattr(self.context.get("view"), "check_unit", None)
        if self.field_name == "unit" and check is not None:
            check(unit)
        return unit


class UsernameField(serializers.CharField):
    """The username of a user-valued attribute (`source="uploaded_by"`), "" when none.

    A dotted source with a default (`source="uploaded_by.username", default=""`) is
    skipped when the root serializer is partial: DRF drops defaults in a PATCH, so a
    nested object in the answer to a PATCH lacked a field its schema requires.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance) -> str:
        user: Any = super().get_attribute(instance)  # a user, not the str DRF's stubs say
        return user.username if user is not None else ""


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$",
        "example": "07:00:00",
        "description": "Local time of day in the city's time zone, HH:MM[:SS].",
    }
)
class LocalTimeField(serializers.TimeField):
    """A time of day as the city's clock shows it (no offset: it follows the calendar).

    JSON Schema's `format: time` requires an offset ("07:00:00+07:00"), which a shift's
    start does not have: it is documented as a plain HH:MM:SS string instead.
    """


class ModelCleanMixin:
    """Run the model's own `clean()` so the API refuses what the web forms refuse."""

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)  # type: ignore[misc]
        model = self.Meta.model  # type: ignore[attr-defined]
        instance = self.instance  # type: ignore[attr-defined]
        # A copy: a refused update must not leave half-applied values on the instance.
        probe = copy.copy(instance) if instance is not None else model()
        for f in model._meta.concrete_fields:
            if f.name in attrs:
                setattr(probe, f.name, attrs[f.name])
        try:
            probe.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(_django_errors(exc)) from exc
        return attrs


class UniqueInUnitMixin:
    """One row per unit and `unique_field`, refused with a sentence under that field."""

    unique_field = "name"

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)  # type: ignore[misc]
        instance = self.instance  # type: ignore[attr-defined]
        unit = attrs.get("unit") or getattr(instance, "unit", None)
        value = attrs.get(self.unique_field, getattr(instance, self.unique_field, None))
        model = self.Meta.model  # type: ignore[attr-defined]
        clash = model._base_manager.filter(unit=unit, **{self.unique_field: value})
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if unit is not None and clash.exists():
            raise serializers.ValidationError(
                {
                    self.unique_field: _(
                        "Unit %(unit)s already has a %(what)s '%(value)s'. Change that one "
                        "instead, or use another value."
                    )
                    % {"unit": unit.code, "what": model._meta.verbose_name, "value": value}
                }
            )
        return attrs


def _django_errors(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if key == "__all__" else key): value
            for key, value in exc.message_dict.items()
        }
    return {"non_field_errors": exc.messages}


class UnitSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    unit = serializers.CharField(
        source="code", read_only=True, help_text=_("The unit's own code (same as `code`).")
    )
    # The name shadows DRF's Field.parent in the stubs; the serializer's metaclass takes
    # declared fields off the class, so at run time there is no clash.
    parent = UnitCodeField(  # type: ignore[assignment]
        required=False, allow_null=True, help_text=_("Code of the parent unit; null at the top.")
    )
    depth = serializers.IntegerField(read_only=True, help_text=_("0 for a top-level unit."))

    class Meta:
        model = Unit
        fields = [
            "id",
            "unit",
            "code",
            "name",
            "kind",
            "parent",
            "depth",
            "address",
            "phone",
            "email",
            "security_lead_name",
            "security_lead_phone",
            "security_lead_email",
            "incident_contact_name",
            "incident_contact_phone",
            "incident_contact_email",
            "created_at",
            "updated_at",
        ]


class PersonSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    """A person and their role. Never carries a password; accounts log in after a reset."""

    unit = UnitCodeField()
    username = serializers.CharField(
        source="user.username",
        required=False,
        allow_null=True,
        max_length=150,
        help_text=_(
            "Login name. Give it when creating a person to open an account for them "
            "(no password: they set one with 'forgot password'). Cannot be changed here."
        ),
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "unit",
            "full_name",
            "title",
            "email",
            "phone",
            "role",
            "is_active",
            "username",
            "created_at",
            "updated_at",
        ]

    def validate_username(self, value: str | None) -> str | None:
        if self.instance is not None:
            current = self.instance.user.username if self.instance.user_id else None
            if value != current:
                raise serializers.ValidationError(
                    _("A login name cannot be changed through the API.")
                )
            return value
        if value and get_user_model().objects.filter(username=value).exists():
            raise serializers.ValidationError(
                _("The login name '%(name)s' is already taken; choose another.") % {"name": value}
            )
        return value

    def create(self, validated_data: dict) -> Person:
        username = (validated_data.pop("user", None) or {}).get("username")
        if username:
            user = get_user_model()(username=username, email=validated_data.get("email", ""))
            user.set_unusable_password()
            user.save()
            validated_data["user"] = user
        return super().create(validated_data)

    def update(self, instance: Person, validated_data: dict) -> Person:
        validated_data.pop("user", None)
        return super().update(instance, validated_data)


class AuditEntrySerializer(serializers.ModelSerializer):
    unit: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    actor = serializers.CharField(
        source="actor_label", read_only=True, help_text=_("Who made the change.")
    )

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "via",
            "action",
            "model",
            "object_id",
            "object_repr",
            "unit",
            "changes",
        ]
        read_only_fields = fields
