"""`GET /api/scoreboard/`: every visible unit's score, rank and component figures."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from citysoc.core.api import OneObjectSchema
from citysoc.core.models import Unit
from citysoc.reports import scoring


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    # Shadows DRF's Field.label in the stubs; the serializer's metaclass takes declared
    # fields off the class, so at run time there is no clash.
    label = serializers.CharField()  # type: ignore[assignment]
    weight = serializers.FloatField()
    tracked = serializers.BooleanField()
    rule = serializers.CharField()


class UnitScoreSerializer(serializers.Serializer):
    unit = serializers.CharField()
    name = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    components = serializers.DictField()


class ScoreboardSerializer(serializers.Serializer):
    today = serializers.DateField()
    weights = ColumnSerializer(many=True)
    results = UnitScoreSerializer(many=True)


class ScoreboardViewSet(viewsets.ViewSet):
    """The city scoreboard: the weights, then one row per unit, best first."""

    schema = OneObjectSchema()

    @extend_schema(
        summary="Scores of your units, with each component's raw figure and points",
        responses=ScoreboardSerializer,
    )
    def list(self, request, *args, **kwargs):
        today = timezone.localdate()
        rows = scoring.score_units(Unit.objects.visible_to(request.user), today)
        return Response(
            {
                "today": today.isoformat(),
                "weights": ColumnSerializer(scoring.columns(), many=True).data,
                "results": [row.as_dict() for row in rows],
            }
        )


ROUTES: list = [("scoreboard", ScoreboardViewSet, "scoreboard")]
