"""REST API for directives (with nested items) and assignments (a unit answers its own).

Directives: everyone reads those sent to their units; city administrators write and
issue. Assignments: a unit's users read theirs; its editors set status, report and
evidence. Outside the user's scope an object answers 404, as everywhere.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from citysoc.core.api import WHOLE_LIST, ApiPagination, EditableByUnit, UnitOwnedFilter
from citysoc.core.parsers import JSONParser  # refuses over-deep bodies with a 400
from citysoc.core.serializers import _django_errors
from citysoc.core.tenancy import can_edit
from citysoc.directives import answering, issuing, templating
from citysoc.directives.models import Assignment, Directive
from citysoc.directives.serializers import (
    AssignmentSerializer,
    DirectiveSerializer,
    EvidenceSerializer,
)


class DirectiveFilter(django_filters.FilterSet):
    class Meta:
        model = Directive
        fields = ["status", "doc_type", "template"]


class AssignmentFilter(UnitOwnedFilter):
    class Meta:
        model = Assignment
        fields = ["unit", "within", "status", "directive"]


def _note(data: dict | list) -> str:
    """The request's note to the update (a JSON list body has none)."""
    return data.get("note", "") if isinstance(data, dict) else ""


def _city_writer(user) -> bool:
    try:
        return can_edit(user, templating.city_root())
    except templating.TemplateError:
        return False


@extend_schema_view(
    list=extend_schema(summary="List the directives you wrote or that were sent to your units"),
    create=extend_schema(summary="Write a directive with its items (city administrators)"),
)
class DirectiveViewSet(viewsets.ModelViewSet):
    serializer_class = DirectiveSerializer
    pagination_class = ApiPagination
    filterset_class = DirectiveFilter
    search_fields = ["subject", "number", "symbol", "body"]
    ordering_fields = ["date", "id", "status"]

    def get_queryset(self):
        return (
            Directive.objects.visible_to(self.request.user)
            .select_related("unit")
            .prefetch_related("items", "recipient_units", "attachments")
        )

    def check_write(self) -> None:
        if not _city_writer(self.request.user):
            raise exceptions.PermissionDenied(
                _("Only a city administrator can write, change or issue a directive.")
            )

    def create(self, request, *args, **kwargs):
        self.check_write()  # before validation, so a unit user learns nothing from errors
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer) -> None:
        with transaction.atomic():
            serializer.save(unit=templating.city_root())

    def perform_update(self, serializer) -> None:
        self.check_write()
        with transaction.atomic():
            serializer.save()

    def perform_destroy(self, instance) -> None:
        self.check_write()
        instance.delete()

    @extend_schema(summary="Issue: create the missing assignments (idempotent)", request=None)
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None, format=None):
        directive = self.get_object()
        self.check_write()
        try:
            created = issuing.issue(directive, by=request.user)
        except issuing.IssueError as exc:
            raise exceptions.ValidationError({"non_field_errors": [str(exc)]}) from exc
        return Response({"created": len(created), "status": directive.status})


@extend_schema_view(
    list=extend_schema(summary="List the assignments of the units you can see"),
    partial_update=extend_schema(summary="Answer: status, report, reason if not applicable"),
)
class AssignmentViewSet(
    EditableByUnit,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AssignmentSerializer
    pagination_class = ApiPagination
    filterset_class = AssignmentFilter
    search_fields = ["report", "item__text"]
    ordering_fields = ["id", "status", "item__due_date", "updated_at"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return (
            Assignment.objects.visible_to(self.request.user)
            .filter(directive__status=Directive.Status.ISSUED)
            .select_related("unit", "item", "directive")
            .prefetch_related("evidence__uploaded_by")
        )

    def perform_update(self, serializer) -> None:
        a = serializer.instance
        data = serializer.validated_data
        try:
            answering.answer(
                a,
                by=self.request.user,
                status=data.get("status", a.status),
                report=data.get("report", a.report),
                reason=data.get("reason", a.reason),
                # A multipart update may carry its evidence, so "done" and the file that
                # proves it arrive together (an item requiring evidence refuses "done"
                # without one).
                files=self.request.FILES.getlist("file"),
                note=_note(self.request.data),
            )
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(_django_errors(exc)) from exc

    @extend_schema(
        summary="List (GET) or attach (POST multipart: file, note) evidence files",
        request={"multipart/form-data": {"type": "object"}},
        responses=EvidenceSerializer(many=True),
    )
    @action(detail=True, methods=["get", "post"], **WHOLE_LIST)
    def evidence(self, request, pk=None, format=None):
        assignment = self.get_object()
        if request.method == "POST":
            upload = request.FILES.get("file")
            if upload is None:
                raise exceptions.ValidationError({"file": [_("Send the file in field 'file'.")]})
            try:
                answering.attach(
                    assignment, by=request.user, file=upload, note=request.data.get("note", "")
                )
            except DjangoValidationError as exc:
                raise exceptions.ValidationError(_django_errors(exc)) from exc
        rows = assignment.evidence.select_related("uploaded_by")
        return Response(EvidenceSerializer(rows, many=True).data)


ROUTES: list = [
    ("directives", DirectiveViewSet, "directive"),
    ("assignments", AssignmentViewSet, "assignment"),
]
