"""REST API for units, people and the audit log, and the shared base every viewset uses.

Tenancy is the same as in the pages: rows come from `visible_to(user)`, so an object of
another unit answers 404; a write needs `can_edit` (people and units: `can_manage`) on
the unit before *and* after the change, else 403 with a sentence saying why.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import django_filters
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from citysoc.core.models import AuditEntry, Person, Unit
from citysoc.core.serializers import AuditEntrySerializer, PersonSerializer, UnitSerializer
from citysoc.core.tenancy import can_edit, can_manage, scope_for

MAX_PAGE_SIZE = 500


class OneObjectSchema(AutoSchema):
    """For a `list` route that answers one object (totals and a `results` list), not an
    array: drf-spectacular otherwise documents every `list` action as an array."""

    def _is_list_view(self, serializer: object = None) -> bool:
        return False


class ApiPagination(PageNumberPagination):
    """`?page=N&page_size=M` (M at most 500)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


# For an @action that answers one object's whole sub-list (an assessment's items, an
# assignment's evidence) or a summary: a plain JSON array, so neither pages nor the list's
# filters apply, and the schema must not declare them either.
WHOLE_LIST: dict[str, Any] = {"pagination_class": None, "filter_backends": []}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def deny_unit(unit: Unit) -> exceptions.PermissionDenied:
    return exceptions.PermissionDenied(
        _(
            "You may not change data of unit '%(code)s' (%(name)s). Ask that unit's "
            "administrator or a city administrator."
        )
        % {"code": unit.code, "name": unit.name}
    )


# --- filters -----------------------------------------------------------------------------


class UnitOwnedFilter(django_filters.FilterSet):
    """`?unit=CODE` (that unit only) and `?within=CODE` (that unit and every unit under it)."""

    path_lookup = "unit__path"

    unit = django_filters.CharFilter(field_name="unit__code", label=_("Unit code (exact)."))
    within = django_filters.CharFilter(
        method="filter_within", label=_("Unit code: that unit and every unit under it.")
    )

    def filter_within(self, queryset, name, value):
        unit = Unit.objects.filter(code=value).only("path").first()
        if unit is None:
            return queryset.none()
        return queryset.filter(**{f"{self.path_lookup}__startswith": unit.path})


class UnitFilter(UnitOwnedFilter):
    path_lookup = "path"

    unit = django_filters.CharFilter(field_name="code", label=_("Unit code (exact)."))
    parent = django_filters.CharFilter(field_name="parent__code", label=_("Parent unit code."))

    class Meta:
        model = Unit
        fields = ["unit", "within", "kind", "parent"]


class PersonFilter(UnitOwnedFilter):
    class Meta:
        model = Person
        fields = ["unit", "within", "role", "is_active"]


class AuditFilter(UnitOwnedFilter):
    actor = django_filters.CharFilter(field_name="actor_label", lookup_expr="istartswith")
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = AuditEntry
        fields = ["unit", "within", "action", "model", "via", "object_id", "actor"]


# --- the shared base ---------------------------------------------------------------------

# The mixin below calls the viewset's own get_object and reads its request.
if TYPE_CHECKING:
    _ViewSetBase = GenericAPIView
else:
    _ViewSetBase = object


class EditableByUnit(_ViewSetBase):
    """Viewset mixin: an object outside the user's scope is 404 (from the queryset); a
    change to one the user may only read is refused with the unit named (403)."""

    def unit_of(self, obj) -> Unit:
        return obj.unit

    def get_object(self):
        obj = super().get_object()  # 404 outside the user's scope
        if self.request.method not in permissions.SAFE_METHODS:
            unit = self.unit_of(obj)
            if not can_edit(self.request.user, unit):
                raise deny_unit(unit)
        return obj


class UnitScopedViewSet(viewsets.ModelViewSet):
    """List, create, read, update and delete the rows of one unit-owned model."""

    pagination_class = ApiPagination
    model: Any = None  # a model with a visible_to queryset
    related: tuple[str, ...] = ("unit",)
    ordering = None  # the model's Meta.ordering

    def may_write(self, unit: Unit) -> bool:
        return can_edit(self.request.user, unit)

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).select_related(*self.related)

    def check_unit(self, unit: Unit | None) -> None:
        if unit is not None and not self.may_write(unit):
            raise deny_unit(unit)

    def get_object(self):
        obj = super().get_object()  # 404 outside the user's scope
        if self.request.method not in permissions.SAFE_METHODS:
            self.check_unit(obj.unit)
        return obj

    def create(self, request, *args, **kwargs):
        scope = scope_for(request.user)
        if not (scope.everything or scope.edit_paths):
            raise exceptions.PermissionDenied(_("Your role can only read; it cannot create."))
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer) -> None:
        self.check_unit(serializer.validated_data.get("unit"))
        with transaction.atomic():
            serializer.save()

    def perform_update(self, serializer) -> None:
        self.check_unit(serializer.validated_data.get("unit"))
        with transaction.atomic():
            serializer.save()

    def perform_destroy(self, instance) -> None:
        try:
            with transaction.atomic():
                instance.delete()
        except ProtectedError as exc:
            kinds = sorted({str(o._meta.verbose_name_plural) for o in exc.protected_objects})
            raise Conflict(
                _("'%(obj)s' is still used by: %(what)s. Delete or move those first.")
                % {"obj": instance, "what": ", ".join(kinds)}
            ) from exc


# --- units -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List the units you can see"),
    create=extend_schema(summary="Create a unit (sub-units of yours; top level: city roles)"),
)
class UnitViewSet(UnitScopedViewSet):
    model = Unit
    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    related = ("parent",)
    search_fields = ["code", "name", "address"]
    ordering_fields = ["path", "code", "name", "kind", "updated_at"]

    def may_write(self, unit: Unit) -> bool:
        return can_manage(self.request.user, unit)

    def check_parent(self, parent: Unit | None) -> None:
        if parent is None:
            if not scope_for(self.request.user).is_city:
                raise exceptions.PermissionDenied(
                    _("Only a city role can create or move a unit to the top level; give a parent.")
                )
        else:
            self.check_unit(parent)

    def create(self, request, *args, **kwargs):
        return viewsets.ModelViewSet.create(self, request, *args, **kwargs)

    def perform_create(self, serializer) -> None:
        self.check_parent(serializer.validated_data.get("parent"))
        with transaction.atomic():
            serializer.save()

    def perform_update(self, serializer) -> None:
        data = serializer.validated_data
        if "parent" in data and data["parent"] != serializer.instance.parent:
            self.check_parent(data["parent"])
        try:
            with transaction.atomic():
                serializer.save()
        except ValueError as exc:  # Unit.save refuses a loop in the tree
            raise exceptions.ValidationError({"parent": [str(exc)]}) from exc

    def perform_destroy(self, instance: Unit) -> None:
        # Removing a unit is its parent's decision, not the unit's own administrator's.
        self.check_parent(instance.parent)
        super().perform_destroy(instance)


# --- people ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List the people of the units you can see"),
    create=extend_schema(summary="Add a person with a role (no password: they reset it)"),
)
class PersonViewSet(UnitScopedViewSet):
    model = Person
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    related = ("unit", "user")
    search_fields = ["full_name", "email", "title", "phone", "user__username"]
    ordering_fields = ["full_name", "role", "unit__code", "updated_at"]

    def may_write(self, unit: Unit) -> bool:
        return can_manage(self.request.user, unit)

    def create(self, request, *args, **kwargs):
        return viewsets.ModelViewSet.create(self, request, *args, **kwargs)

    def check_role(self, role: str | None) -> None:
        if role == Person.Role.CITY_ADMIN and not scope_for(self.request.user).is_city:
            raise exceptions.PermissionDenied(
                _("Only a city administrator can grant or change the city_admin role.")
            )

    def perform_create(self, serializer) -> None:
        self.check_role(serializer.validated_data.get("role"))
        super().perform_create(serializer)

    def perform_update(self, serializer) -> None:
        self.check_role(serializer.instance.role)
        self.check_role(serializer.validated_data.get("role"))
        super().perform_update(serializer)

    def perform_destroy(self, instance: Person) -> None:
        self.check_role(instance.role)
        super().perform_destroy(instance)


# --- audit log ---------------------------------------------------------------------------


class IsCityRole(permissions.BasePermission):
    message = _("The audit log is open to city roles only (city_admin).")

    def has_permission(self, request, view) -> bool:
        return scope_for(request.user).is_city


@extend_schema_view(
    list=extend_schema(summary="Read the audit log (city roles only; others get 403)"),
)
class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AuditEntrySerializer
    pagination_class = ApiPagination
    permission_classes = [permissions.IsAuthenticated, IsCityRole]
    filterset_class = AuditFilter
    search_fields = ["object_repr", "actor_label", "model"]
    ordering_fields = ["at", "id"]

    def get_queryset(self):
        return AuditEntry.objects.visible_to(self.request.user).select_related("unit")


ROUTES: list = [
    ("units", UnitViewSet, "unit"),
    ("people", PersonViewSet, "person"),
    ("audit", AuditEntryViewSet, "audit"),
]


class ApiDocsView(LoginRequiredMixin, TemplateView):
    """The API reference, rendered on the server from the OpenAPI schema: works offline."""

    template_name = "core/api_docs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(describe_schema(build_schema()))
        return context


def build_schema() -> dict:
    """The OpenAPI document that /api/openapi.json and the docs page serve, in the active
    language. Read it, don't change it: it is shared.

    It depends only on the code and the language (public: every logged-in user is given
    the same document), and making it walks every serializer, 0.3–0.8 s: it is made once
    per language in a process.
    """
    return _schema_in(get_language())


@functools.cache
def _schema_in(language: str | None) -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


class SchemaView(SpectacularJSONAPIView):
    """/api/openapi.json: `build_schema()` (the same document drf-spectacular's view makes,
    made once per language)."""

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        filename = self._get_filename(request, version)
        return Response(
            data=build_schema(),
            headers={"Content-Disposition": f'inline; filename="{filename}"'},
        )


HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def describe_schema(schema: dict) -> dict:
    """Flatten the schema into rows a template can show: operations, then data shapes."""
    operations = []
    for path, item in schema.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                operations.append(_operation(path, method, item[method]))
    shapes = [_shape(name, body) for name, body in sorted(schema["components"]["schemas"].items())]
    return {"info": schema.get("info", {}), "operations": operations, "shapes": shapes}


def _operation(path: str, method: str, op: dict) -> dict:
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
    return {
        "method": method.upper(),
        "path": path,
        "id": op.get("operationId", ""),
        "summary": op.get("summary", ""),
        "description": op.get("description", ""),
        "parameters": [
            {
                "name": p["name"],
                "where": p["in"],
                "required": p.get("required", False),
                "type": type_label(p.get("schema", {})),
                "description": p.get("description", ""),
            }
            for p in op.get("parameters", [])
        ],
        "body": type_label(body["schema"]) if body else "",
        "responses": [
            (code, type_label(_json_schema(resp)) or resp.get("description", ""))
            for code, resp in op.get("responses", {}).items()
        ],
    }


def _json_schema(response: dict) -> dict:
    return response.get("content", {}).get("application/json", {}).get("schema", {})


def _shape(name: str, body: dict) -> dict:
    required = set(body.get("required", []))
    return {
        "name": name,
        "description": body.get("description", ""),
        "enum": body.get("enum", []),
        "fields": [
            {
                "name": field,
                "type": type_label(spec),
                "required": field in required,
                "read_only": spec.get("readOnly", False),
                "nullable": spec.get("nullable", False),
                "description": spec.get("description", ""),
            }
            for field, spec in body.get("properties", {}).items()
        ],
    }


def type_label(spec: dict) -> str:
    """'integer', 'list of Host', 'HostRequest', 'string (date)'…"""
    if not spec:
        return ""
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[-1]
    for key in ("allOf", "oneOf", "anyOf"):
        if key in spec:
            return " | ".join(filter(None, (type_label(s) for s in spec[key])))
    if spec.get("type") == "array":
        return f"list of {type_label(spec.get('items', {}))}"
    label = spec.get("type", "")
    if "format" in spec:
        label = f"{label} ({spec['format']})"
    if "enum" in spec:
        label = f"{label}: {', '.join(str(v) for v in spec['enum'])}"
    return label
