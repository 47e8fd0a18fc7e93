"""REST API: /api/monitors/ and /api/monitor-findings/.

Monitors: a unit's users read their monitors; its editors create and change them.
Findings are written by the checks only: read-only here, filtered by monitor, check,
severity and status.
"""

from __future__ import annotations

import django_filters
from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from citysoc.core.api import ApiPagination, UnitOwnedFilter, UnitScopedViewSet
from citysoc.webwatch.models import SEVERITIES, Finding, Monitor
from citysoc.webwatch.serializers import FindingSerializer, MonitorSerializer


class MonitorFilter(UnitOwnedFilter):
    class Meta:
        model = Monitor
        fields = ["unit", "within", "enabled", "is_up", "public"]


@extend_schema_view(
    list=extend_schema(summary="Website monitors of your units"),
    create=extend_schema(summary="Watch a website (editors of the unit)"),
)
class MonitorViewSet(UnitScopedViewSet):
    model = Monitor
    serializer_class = MonitorSerializer
    filterset_class = MonitorFilter
    related = ("unit",)
    search_fields = ["name", "url"]
    ordering_fields = ["name", "unit__code", "last_checked_at", "last_response_ms", "id"]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(
                open_findings_count=Count(
                    "findings", filter=Q(findings__status=Finding.Status.OPEN)
                )
            )
            # An aggregate drops Meta.ordering: say it again, or pages could overlap.
            .order_by("unit__path", "name", "pk")
        )


class FindingFilter(UnitOwnedFilter):
    monitor = django_filters.NumberFilter(field_name="monitor_id")
    check = django_filters.CharFilter(field_name="check_name")
    severity = django_filters.ChoiceFilter(choices=SEVERITIES)
    status = django_filters.ChoiceFilter(choices=Finding.Status.choices)

    class Meta:
        model = Finding
        fields = ["unit", "within", "monitor", "check", "severity", "status"]


@extend_schema_view(list=extend_schema(summary="What the website checks found, open first"))
class FindingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FindingSerializer
    pagination_class = ApiPagination
    filterset_class = FindingFilter
    search_fields = ["title", "key"]
    ordering_fields = ["id", "last_seen", "first_seen", "severity", "status"]

    def get_queryset(self):
        return Finding.objects.visible_to(self.request.user).select_related("unit")


ROUTES: list = [
    ("monitors", MonitorViewSet, "monitor"),
    ("monitor-findings", FindingViewSet, "monitor-finding"),
]
