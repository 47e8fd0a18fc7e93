"""REST API: `POST /api/scans/` (upload a report for a unit), `/api/findings/` (read, filter).

Both are unit scoped: a user sees the scans and findings of the units they may see, and
uploads only for a unit they may edit; another unit's rows answer 404, not 403.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from citysoc.core.api import ApiPagination, UnitOwnedFilter
from citysoc.core.models import Unit
from citysoc.core.tenancy import can_edit
from citysoc.vulns import importing
from citysoc.vulns.models import Finding, Scan
from citysoc.vulns.parsers import read_report
from citysoc.vulns.parsers.base import MAX_BYTES, ParseError


class ScanSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Scan
        fields = [
            "id",
            "unit",
            "tool",
            "file_name",
            "started_at",
            "finished_at",
            "status",
            "reason",
            "findings",
            "new",
            "still_open",
            "mitigated",
            "reopened",
            "rejected",
        ]


class ScanUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    unit = serializers.CharField(help_text=_("Code of the unit the scanned hosts belong to."))
    tool = serializers.CharField(required=False, allow_blank=True)


class VulnFindingSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    host = serializers.SlugRelatedField(slug_field="hostname", read_only=True)
    system = serializers.PrimaryKeyRelatedField(read_only=True)  # set by the import only

    class Meta:
        model = Finding
        fields = [
            "id",
            "unit",
            "host",
            "system",
            "tool",
            "title",
            "severity",
            "cves",
            "cvss",
            "address",
            "port",
            "protocol",
            "package",
            "version",
            "location",
            "first_seen",
            "last_seen",
            "status",
        ]


class FindingFilter(UnitOwnedFilter):
    cve = django_filters.CharFilter(method="filter_cve", label=_("CVE identifier."))

    def filter_cve(self, queryset, name, value):
        # SQLite has no JSON containment; the quoted identifier inside the JSON text is
        # exact on both databases (a CVE id contains no quote).
        return queryset.filter(cves__icontains=f'"{value.strip().upper()}"')

    class Meta:
        model = Finding
        fields = ["unit", "within", "severity", "status", "tool", "cve"]


@extend_schema_view(list=extend_schema(summary="Scanner reports imported for your units"))
class ScanViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ScanSerializer
    pagination_class = ApiPagination
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return Scan.objects.visible_to(self.request.user).select_related("unit")

    @extend_schema(request=ScanUploadSerializer, responses=ScanSerializer)
    def create(self, request, *args, **kwargs):
        form = ScanUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        unit = Unit.objects.visible_to(request.user).filter(code=form.validated_data["unit"])
        unit = unit.first()
        if unit is None:
            raise exceptions.ValidationError({"unit": [_("No such unit.")]})
        if not can_edit(request.user, unit):
            raise exceptions.PermissionDenied(_("You cannot import scans for this unit."))
        upload = form.validated_data["file"]
        if upload.size > MAX_BYTES:
            raise exceptions.ValidationError({"file": [_("The file is too large.")]})
        try:
            report = read_report(upload.read(), upload.name, form.validated_data.get("tool", ""))
        except ParseError as exc:
            raise exceptions.ValidationError({"file": [str(exc)]}) from exc
        result = importing.import_report(report, unit, file_name=upload.name)
        data = ScanSerializer(Scan.objects.get(pk=result.scan_id)).data
        data["unknown_hosts"] = result.unknown_hosts
        return Response(data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(summary="Vulnerability findings of your units"))
class FindingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = VulnFindingSerializer
    pagination_class = ApiPagination
    filterset_class = FindingFilter
    search_fields = ["title", "address", "package"]
    ordering_fields = ["id", "last_seen", "severity", "cvss"]

    def get_queryset(self):
        return Finding.objects.visible_to(self.request.user).select_related("unit", "host")


ROUTES: list = [
    ("scans", ScanViewSet, "scan"),
    ("findings", FindingViewSet, "finding"),
]
