"""REST API: `/api/agents/`, `/api/sweeps/` (campaigns), `/api/sweep-results/` (with hits).

Unit scoped like every other endpoint: another unit's rows answer 404. A campaign is
started for a unit the user may edit; an offline result file may be uploaded by POST to
`/api/sweep-results/` (multipart, field `file`). The agents' own endpoints are in
`agentapi.py`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from citysoc.core.api import ApiPagination, UnitOwnedFilter
from citysoc.core.serializers import ScopedRelationsMixin, UnitCodeField
from citysoc.core.tenancy import can_edit
from citysoc.sweep import bundles, ingesting, jobs
from citysoc.sweep.enrolment import Refused
from citysoc.sweep.models import Agent, Campaign, Hit, Result


class AgentSerializer(serializers.ModelSerializer):
    unit: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    host: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="hostname", read_only=True
    )

    class Meta:
        model = Agent
        fields = [
            "id", "unit", "host", "key", "hostname", "os", "os_version", "agent_version",
            "ips", "macs", "users", "status", "enrolled_at", "last_seen",
        ]  # fmt: skip


class CampaignSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    unit = UnitCodeField()

    class Meta:
        model = Campaign
        fields = [
            "id", "unit", "name", "botnet_first", "paths", "max_files", "max_seconds",
            "due_date", "created_at",
        ]  # fmt: skip
        read_only_fields = ["created_at"]


class HitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Hit
        fields = [
            "check_name", "kind", "score", "title", "path", "sha256", "md5", "rule", "remote",
            "process", "detail",
        ]  # fmt: skip


class ResultSerializer(serializers.ModelSerializer):
    unit: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    host: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="hostname", read_only=True
    )
    agent: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="key", read_only=True
    )
    campaign: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    hits = HitSerializer(many=True, read_only=True)
    tasks: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = Result
        fields = [
            "id", "unit", "host", "agent", "campaign", "via", "verdict", "started_at",
            "finished_at", "received_at", "files", "connections", "hit_count", "complete",
            "checks", "hits", "tasks",
        ]  # fmt: skip


class ResultUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("A signed result file written by an offline bundle."))


class ResultFilter(UnitOwnedFilter):
    class Meta:
        model = Result
        fields = ["unit", "within", "verdict", "via", "campaign"]


@extend_schema_view(list=extend_schema(summary="Sweep agents enrolled in your units"))
class AgentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AgentSerializer
    pagination_class = ApiPagination
    filterset_class = UnitOwnedFilter

    def get_queryset(self):
        return Agent.objects.visible_to(self.request.user).select_related("unit", "host")


@extend_schema_view(list=extend_schema(summary="Sweep campaigns of your units"))
class CampaignViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CampaignSerializer
    pagination_class = ApiPagination
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        return Campaign.objects.visible_to(self.request.user).select_related("unit")

    def create(self, request, *args, **kwargs):
        form = CampaignSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        unit = data.pop("unit")
        if not can_edit(request.user, unit):
            raise exceptions.NotFound()
        campaign = jobs.start_campaign(unit, by=request.user, **data)
        return Response(CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(summary="Sweep results of your units' hosts"))
class ResultViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ResultSerializer
    pagination_class = ApiPagination
    filterset_class = ResultFilter
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return (
            Result.objects.visible_to(self.request.user)
            .select_related("unit", "host", "agent")
            .prefetch_related("hits", "tasks")
        )

    @extend_schema(request=ResultUploadSerializer, responses=ResultSerializer)
    def create(self, request, *args, **kwargs):
        form = ResultUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        if upload.size > bundles.MAX_RESULT_BYTES:
            raise exceptions.ValidationError({"file": [_("The file is too large.")]})
        try:
            signed = bundles.read_result(upload.read())
        except Refused as exc:
            raise exceptions.ValidationError({"file": [str(exc)]}) from exc
        if not can_edit(request.user, signed.agent.unit):
            raise exceptions.ValidationError({"file": [_("This host is not in your units.")]})
        result, _created = ingesting.ingest(signed, via=Result.Via.OFFLINE)
        return Response(ResultSerializer(result).data, status=status.HTTP_201_CREATED)


ROUTES: list = [
    ("agents", AgentViewSet, "agent"),
    ("sweeps", CampaignViewSet, "sweep"),
    ("sweep-results", ResultViewSet, "sweep-result"),
]
