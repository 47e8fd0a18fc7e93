"""REST API: `POST /api/scans/` (upload a report for a unit), `/api/findings/` (read, filter).

Both are unit scoped: a user sees the scans and findings of the units they may see, and
uploads only for a unit they may edit; another unit's rows answer 404, not 403.
"""

from __future__ import annotations

from typing import cast

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from citysoc.core.api import ApiPagination, UnitOwnedFilter, deny_unit
from citysoc.core.models import Person, Unit
from citysoc.core.tenancy import can_edit
from citysoc.vulns import finding_views, importing, priority
from citysoc.vulns.models import Finding, Scan
from citysoc.vulns.parsers import read_report
from citysoc.vulns.parsers.base import MAX_BYTES, ParseError


class ScanSerializer(serializers.ModelSerializer):
    unit: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

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


# Priority and work (vulns/priority.py, vulns/work.py): read here, changed by POST .../work/.
WORK_FIELDS = [
    "kev",
    "kev_added",
    "kev_due",
    "kev_ransomware",
    "epss",
    "epss_percentile",
    "due_date",
    "due_reason",
    "overdue",
    "assignee",
    "status_reason",
    "accepted_until",
]


class VulnFindingSerializer(serializers.ModelSerializer):
    unit: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    host: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="hostname", read_only=True
    )
    system: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True
    )  # set by the import only
    assignee: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    due_reason = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    def get_due_reason(self, obj) -> str:
        return priority.reason_for(obj)

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()

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
            *WORK_FIELDS,
        ]


class FindingFilter(UnitOwnedFilter):
    cve = django_filters.CharFilter(method="filter_cve", label=_("CVE identifier."))

    def filter_cve(self, queryset, name, value):
        # SQLite has no JSON containment; the quoted identifier inside the JSON text is
        # exact on both databases (a CVE id contains no quote).
        return queryset.filter(cves__icontains=f'"{value.strip().upper()}"')

    system = django_filters.NumberFilter(field_name="system_id", label=_("Information system id."))
    kev = django_filters.BooleanFilter(field_name="kev", label=_("Known exploited (CISA KEV)."))
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label=_("Past its due date and not closed.")
    )

    def filter_overdue(self, queryset, name, value):
        late = Q(status__in=Finding.ACTIVE, due_date__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)

    class Meta:
        model = Finding
        fields = ["unit", "within", "system", "severity", "status", "tool", "cve", "kev", "overdue"]


class WorkSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(finding_views.ACTIONS))
    assignee = serializers.IntegerField(required=False, allow_null=True)
    text = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    until = serializers.DateField(required=False)
    file = serializers.FileField(required=False)


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
        unit = (
            Unit.objects.visible_to(request.user).filter(code=form.validated_data["unit"]).first()
        )
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
        scan_id = cast(int, result.scan_id)  # set by every import
        data = ScanSerializer(Scan.objects.get(pk=scan_id)).data
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

    @extend_schema(
        summary="Work on a finding: assign, comment, evidence, fixed, accept, false_positive, "
        "reopen",
        request=WorkSerializer,
        responses=VulnFindingSerializer,
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser])
    def work(self, request, pk=None, format=None):
        finding = self.get_object()
        if not can_edit(request.user, finding.unit):
            raise deny_unit(finding.unit)
        form = WorkSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        if data["action"] == "assign":
            data["assignee"] = _person(finding, data.get("assignee"))
        if data["action"] == "evidence" and not data.get("file"):
            raise exceptions.ValidationError({"file": [_("Attach the evidence file.")]})
        if data["action"] == "comment":
            data.setdefault("text", "")
        try:
            finding_views.do_action(finding, data["action"], _required(data), by=request.user)
        except (DjangoValidationError, KeyError) as exc:
            raise exceptions.ValidationError(_messages(exc)) from exc
        return Response(self.get_serializer(self.get_queryset().get(pk=finding.pk)).data)


def _person(finding: Finding, pk: int | None) -> Person | None:
    if pk is None:
        return None
    person = Person.objects.filter(pk=pk, unit=finding.unit).first()
    if person is None:
        raise exceptions.ValidationError({"assignee": [_("No such person in the finding's unit.")]})
    return person


def _required(data: dict) -> dict:
    needs = {"accept": ("reason", "until"), "false_positive": ("reason",)}
    missing = [f for f in needs.get(data["action"], ()) if f not in data]
    if missing:
        raise exceptions.ValidationError({f: [_("This field is required.")] for f in missing})
    return data


def _messages(exc) -> dict:
    if isinstance(exc, DjangoValidationError) and hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"non_field_errors": list(getattr(exc, "messages", [str(exc)]))}


ROUTES: list = [
    ("scans", ScanViewSet, "scan"),
    ("findings", FindingViewSet, "finding"),
]
