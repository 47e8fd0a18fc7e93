"""REST API: /api/indicator-lists/, /api/sightings/, /api/cleanup-tasks/.

List versions: every user reads the versions (source, counts) and, per unit they can see,
`new`/`still`/`delisted` against the previous version of the same source; city
administrators upload. Sightings and tasks: a unit's users see their own; its editors move
a task to in_progress or cleaned.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from citysoc.core.api import WHOLE_LIST, ApiPagination, EditableByUnit, UnitOwnedFilter
from citysoc.core.models import Unit
from citysoc.core.parsers import JSONParser  # refuses over-deep bodies with a 400
from citysoc.core.tenancy import scope_for
from citysoc.intel import cleanup, compare, importing, tasks
from citysoc.intel.models import CleanupTask, ListVersion, Sighting
from citysoc.intel.serializers import (
    CleanupSummaryRowSerializer,
    CleanupTaskSerializer,
    ListVersionSerializer,
    SightingSerializer,
    UploadSerializer,
)


class ListVersionFilter(django_filters.FilterSet):
    source = django_filters.CharFilter(field_name="source__name")

    class Meta:
        model = ListVersion
        fields = ["source", "status", "period"]


@extend_schema_view(
    list=extend_schema(summary="List versions of every indicator list, newest first"),
    create=extend_schema(
        summary="Upload a list version (multipart: file, source, period, format)",
        request={"multipart/form-data": UploadSerializer},
    ),
)
class ListVersionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ListVersionSerializer
    pagination_class = ApiPagination
    filterset_class = ListVersionFilter
    ordering_fields = ["id", "received_on", "created_at"]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return ListVersion.objects.select_related("source")

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        self._add_changes(response.data.get("results", []))
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        self._add_changes([response.data])
        return response

    def _add_changes(self, rows: Sequence[dict[str, Any]]) -> None:
        units = Unit.objects.visible_to(self.request.user)
        versions = ListVersion.objects.in_bulk([r["id"] for r in rows])
        for row in rows:
            changes = compare.compare(versions[row["id"]], units)
            row["units"] = [c.as_dict() for c in changes]

    def create(self, request, *args, **kwargs):
        # The same rule as the web page: a city administrator or a city operator.
        if not scope_for(request.user).city_editor:
            raise exceptions.PermissionDenied(
                _("Only a city administrator or operator can import indicator lists.")
            )
        form = UploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        source = importing.source_named(form.validated_data["source"])
        version, created = importing.receive(
            source,
            upload.read(),
            upload.name,
            period=form.validated_data.get("period", ""),
            user=request.user,
            format=form.validated_data.get("format") or "auto",
        )
        if created:
            tasks.import_version.enqueue(version.pk)
        data = self.get_serializer(version).data
        data["duplicate"] = not created
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class SightingFilter(UnitOwnedFilter):
    list_version = django_filters.NumberFilter(field_name="version_id")

    class Meta:
        model = Sighting
        fields = ["unit", "within", "via", "family", "ip", "list_version", "attributed"]


@extend_schema_view(list=extend_schema(summary="Listed addresses found in your units"))
class SightingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SightingSerializer
    pagination_class = ApiPagination
    filterset_class = SightingFilter
    search_fields = ["ip", "family", "remote"]
    ordering_fields = ["id", "last_seen", "count", "ip"]

    def get_queryset(self):
        return Sighting.objects.visible_to(self.request.user).select_related(
            "unit", "host", "version__source"
        )


class CleanupTaskFilter(UnitOwnedFilter):
    list_version = django_filters.NumberFilter(field_name="last_seen_version_id")

    class Meta:
        model = CleanupTask
        fields = ["unit", "within", "status", "priority", "family", "ip", "list_version"]


@extend_schema_view(
    list=extend_schema(summary="Clean-up tasks of your units, most urgent first"),
    partial_update=extend_schema(summary="Work a task: status in_progress/cleaned, tool, findings"),
)
class CleanupTaskViewSet(
    EditableByUnit,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CleanupTaskSerializer
    pagination_class = ApiPagination
    filterset_class = CleanupTaskFilter
    search_fields = ["ip", "family", "findings"]
    ordering_fields = ["priority", "due_date", "id", "status"]

    def get_queryset(self):
        return CleanupTask.objects.visible_to(self.request.user).select_related("unit", "host")

    def perform_update(self, serializer) -> None:
        task = serializer.instance
        data = serializer.validated_data
        new_status = data.get("status", task.status)
        if new_status == CleanupTask.Status.CLEANED and task.status != new_status:
            cleanup.report_cleaned(
                task,
                user=self.request.user,
                tool=data.get("tool", task.tool),
                findings=data.get("findings", task.findings),
            )
            return
        if new_status == CleanupTask.Status.IN_PROGRESS:
            cleanup.start(task)
        serializer.save(status=task.status)

    @extend_schema(
        summary="Open and overdue tasks per unit, worst first",
        responses=CleanupSummaryRowSerializer(many=True),
    )
    @action(detail=False, methods=["get"], **WHOLE_LIST)
    def summary(self, request, format=None):
        """Open and overdue tasks per unit (the units you can see)."""
        from citysoc.intel import overview

        return Response(overview.units_ranked(self.get_queryset()))


ROUTES: list = [
    ("indicator-lists", ListVersionViewSet, "indicator-list"),
    ("sightings", SightingViewSet, "sighting"),
    ("cleanup-tasks", CleanupTaskViewSet, "cleanup-task"),
]
