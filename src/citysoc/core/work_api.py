"""`GET /api/my-work/`: the caller's open work items from every area, by due date."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from citysoc.core import work
from citysoc.core.api import OneObjectSchema


class WorkItemSerializer(serializers.Serializer):
    unit = serializers.CharField(source="unit_name")
    unit_id = serializers.IntegerField()
    area = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    due = serializers.DateField(source="due_date", allow_null=True)
    url = serializers.CharField()
    action = serializers.CharField()
    severity = serializers.CharField()
    group = serializers.CharField(help_text="overdue, week, later or undated")


class WorkListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    today = serializers.DateField()
    results = WorkItemSerializer(many=True)


class WorkViewSet(viewsets.ViewSet):
    """Everything the caller's units still owe; `?unit=<code>` for one of them."""

    schema = OneObjectSchema()

    @extend_schema(
        summary="Open work items of your units, by due date",
        parameters=[OpenApiParameter("unit", str, description="Code of one of your units.")],
        responses=WorkListSerializer,
    )
    def list(self, request, *args, **kwargs):
        today = timezone.localdate()
        items = work.items_for(request.user, today, unit_code=request.query_params.get("unit", ""))
        rows = [{**WorkItemSerializer(item).data, "group": item.group(today)} for item in items]
        return Response({"count": len(rows), "today": today.isoformat(), "results": rows})


ROUTES: list = [("my-work", WorkViewSet, "my-work")]
