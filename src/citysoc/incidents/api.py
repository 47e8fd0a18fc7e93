"""REST API: `/api/incidents/` (read, filter) with each case's tasks, observables, reports and
`report_due` (the earliest national report deadline not yet met, from the rules in force on
the detection day); `overdue` says it has passed. Unit scoped: another unit's case is a 404.
"""

from __future__ import annotations

from typing import cast

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from citysoc.alerts.models import Incident
from citysoc.core.api import ApiPagination, UnitOwnedFilter
from citysoc.incidents import deadlines
from citysoc.incidents.models import Observable, Report, Task


class TaskSerializer(serializers.ModelSerializer):
    owner: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = Task
        fields = ["id", "phase", "position", "title", "owner", "owner_role", "due_at", "done_at"]


class ObservableSerializer(serializers.ModelSerializer):
    class Meta:
        model = Observable
        fields = ["id", "kind", "value", "note", "created_at"]


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = Report
        fields = ["id", "form", "created_at", "created_by", "sent_at"]


class IncidentSerializer(serializers.ModelSerializer):
    unit: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    tasks = TaskSerializer(many=True, read_only=True)
    observables = ObservableSerializer(many=True, read_only=True)
    reports = ReportSerializer(many=True, read_only=True)
    merged_into: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    report_due = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    serious = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = [
            "id", "unit", "title", "kind", "severity", "status", "description", "detected_at",
            "acknowledged_at", "response_ended_at", "closed_at", "serious_criteria",
            "beyond_capacity", "national_security", "serious", "handling", "opened_from",
            "merged_into", "report_due", "overdue", "tasks", "observables", "reports",
        ]  # fmt: skip

    def _clocks(self) -> dict:
        """The deadline clocks, read once per response (DRF's stubs type the context, the
        dict the view passed, as read-only)."""
        return cast(dict, self.context).setdefault("clocks", {})

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_report_due(self, incident):
        return deadlines.report_due(incident, self._clocks())

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, incident) -> bool:
        return deadlines.is_overdue(incident, timezone.now(), self._clocks())

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_serious(self, incident) -> bool:
        return deadlines.is_serious(incident)


class IncidentFilter(UnitOwnedFilter):
    open = django_filters.BooleanFilter(
        field_name="closed_at", lookup_expr="isnull", label=_("Only open (true) or closed (false).")
    )
    observable = django_filters.CharFilter(
        field_name="observables__value", label=_("An observable's exact value."), distinct=True
    )

    class Meta:
        model = Incident
        fields = ["unit", "within", "kind", "severity", "status", "open", "observable"]


@extend_schema_view(list=extend_schema(summary="Incident cases of your units"))
class IncidentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = IncidentSerializer
    pagination_class = ApiPagination
    filterset_class = IncidentFilter
    search_fields = ["title", "description"]
    ordering_fields = ["id", "detected_at", "severity"]

    def get_queryset(self):
        return (
            Incident.objects.visible_to(self.request.user)
            .select_related("unit")
            .prefetch_related("tasks__owner", "observables", "reports", "systems")
            .order_by("-id")
        )


ROUTES: list = [("incidents", IncidentViewSet, "incident")]
