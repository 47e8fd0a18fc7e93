"""REST API: /api/libraries/ (read), /api/assessments/ and /api/assessment-items/.

Libraries are the city's shared reference data: every user reads them. Assessments and
their items belong to the system's unit: its users read them, its editors start
assessments, answer items and attach evidence. Outside the user's scope an object
answers 404, as everywhere.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from citysoc.compliance import assessing, level_proposals, levels
from citysoc.compliance.models import Assessment, AssessmentItem, Library, Requirement
from citysoc.compliance.serializers import (
    AssessmentItemSerializer,
    AssessmentSerializer,
    ItemEvidenceSerializer,
    LevelAnswersSerializer,
    LevelProposalSerializer,
    LevelQuestionsSerializer,
    LibrarySerializer,
    ProgressSerializer,
)
from citysoc.core.api import WHOLE_LIST, ApiPagination, EditableByUnit, UnitOwnedFilter, deny_unit
from citysoc.core.parsers import JSONParser  # refuses over-deep bodies with a 400
from citysoc.core.serializers import _django_errors
from citysoc.core.tenancy import can_edit
from citysoc.inventory.models import InformationSystem

LEVEL_PARAMETER = OpenApiParameter(
    "level",
    OpenApiTypes.INT,
    description="Security level 1–5: only the requirements of that level and their groups.",
)


class LibraryFilter(django_filters.FilterSet):
    regime = django_filters.CharFilter(field_name="regime__code")

    class Meta:
        model = Library
        fields = ["regime", "ref_id", "urn"]


@extend_schema_view(
    list=extend_schema(
        summary="Framework libraries with their requirements", parameters=[LEVEL_PARAMETER]
    ),
    retrieve=extend_schema(
        summary="One library with its requirements", parameters=[LEVEL_PARAMETER]
    ),
)
class LibraryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LibrarySerializer
    pagination_class = ApiPagination
    filterset_class = LibraryFilter
    search_fields = ["ref_id", "name", "name_en"]
    ordering_fields = ["id", "valid_from", "ref_id"]

    def get_queryset(self):
        nodes = Requirement.objects.select_related("parent").order_by("order", "id")
        return Library.objects.select_related("regime", "superseded_by").prefetch_related(
            Prefetch("requirements", queryset=nodes)
        )

    def get_serializer_context(self):
        context = dict(super().get_serializer_context())
        raw = self.request.query_params.get("level") if self.request else None
        if raw not in (None, ""):
            if raw not in {"1", "2", "3", "4", "5"}:
                raise exceptions.ValidationError(
                    {"level": [_("The level is a number from 1 to 5, not '%(v)s'.") % {"v": raw}]}
                )
            context["level"] = int(raw)
        return context


class AssessmentFilter(UnitOwnedFilter):
    library = django_filters.CharFilter(field_name="library__urn")

    class Meta:
        model = Assessment
        fields = ["unit", "within", "system", "library", "status", "level"]


def _raise_for(exc: DjangoValidationError):
    raise exceptions.ValidationError(_django_errors(exc)) from exc


@extend_schema_view(
    list=extend_schema(summary="Assessments of the systems you can see, newest first"),
    create=extend_schema(
        summary="Start an assessment: system id and library URN; one item per requirement "
        "of the system's level"
    ),
)
class AssessmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AssessmentSerializer
    pagination_class = ApiPagination
    filterset_class = AssessmentFilter
    search_fields = ["system__name", "title"]
    ordering_fields = ["id", "started_on", "completed_on", "status"]

    def get_queryset(self):
        visible = Assessment.objects.visible_to(self.request.user).select_related(
            "unit", "system", "library", "started_by"
        )
        # Counting items groups the query, and Django leaves Meta.ordering out of it.
        return assessing.with_tallies(visible).order_by("-started_on", "-id")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        system = serializer.validated_data["system"]
        if not can_edit(request.user, system.unit):
            raise deny_unit(system.unit)
        try:
            assessment = assessing.start(
                system,
                serializer.validated_data["library"],
                by=request.user,
                title=serializer.validated_data.get("title", ""),
            )
        except ValueError as exc:
            raise exceptions.ValidationError({"system": [str(exc)]}) from exc
        data = self.get_serializer(self.get_queryset().get(pk=assessment.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The checklist: every item of the assessment, in library order",
        responses=AssessmentItemSerializer(many=True),
    )
    @action(detail=True, methods=["get"], **WHOLE_LIST)
    def items(self, request, pk=None, format=None):
        assessment = self.get_object()
        rows = _items().filter(assessment=assessment)
        return Response(AssessmentItemSerializer(rows, many=True).data)

    @extend_schema(
        summary="The gaps: items partly met or not met, soonest due first",
        responses=AssessmentItemSerializer(many=True),
    )
    @action(detail=True, methods=["get"], **WHOLE_LIST)
    def gaps(self, request, pk=None, format=None):
        assessment = self.get_object()
        rows = assessing.gaps(assessment)
        return Response(AssessmentItemSerializer(rows, many=True).data)

    @extend_schema(
        summary="Progress and score, overall and per top-level requirement group",
        responses=ProgressSerializer,
    )
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None, format=None):
        return Response(ProgressSerializer(assessing.progress(self.get_object())).data)

    @extend_schema(
        summary="Complete the assessment (every item must have an answer)",
        request=None,
        responses=AssessmentSerializer,
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None, format=None):
        assessment = self.get_object()
        if not can_edit(request.user, assessment.unit):
            raise deny_unit(assessment.unit)
        try:
            assessing.complete(assessment)
        except ValueError as exc:
            raise exceptions.ValidationError({"non_field_errors": [str(exc)]}) from exc
        return Response(self.get_serializer(self.get_queryset().get(pk=assessment.pk)).data)


def _items():
    return AssessmentItem.objects.select_related(
        "requirement", "assessment__unit", "assessor"
    ).prefetch_related("evidence__uploaded_by")


class AssessmentItemFilter(UnitOwnedFilter):
    path_lookup = "assessment__unit__path"

    unit = django_filters.CharFilter(
        field_name="assessment__unit__code", label=_("Unit code (exact).")
    )
    requirement = django_filters.CharFilter(field_name="requirement__urn")

    class Meta:
        model = AssessmentItem
        fields = ["unit", "within", "assessment", "status", "requirement"]


@extend_schema_view(
    list=extend_schema(summary="Assessment items of the systems you can see"),
    partial_update=extend_schema(
        summary="Answer: status, note, reason (not applicable), evidence link, gap owner and due"
    ),
)
class AssessmentItemViewSet(
    EditableByUnit,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AssessmentItemSerializer
    pagination_class = ApiPagination
    filterset_class = AssessmentItemFilter
    search_fields = ["note", "requirement__ref_id", "requirement__title"]
    ordering_fields = ["id", "status", "gap_due", "assessed_on"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        visible = Assessment.objects.visible_to(self.request.user).values("pk")
        return _items().filter(assessment__in=visible).order_by("assessment", "requirement__order")

    def unit_of(self, obj):
        return obj.assessment.unit

    def perform_update(self, serializer) -> None:
        item = serializer.instance
        data = serializer.validated_data
        fields = ("note", "reason", "evidence_link", "gap_owner", "gap_due")
        current = {name: data.get(name, getattr(item, name)) for name in fields}
        try:
            assessing.answer(
                item, by=self.request.user, status=data.get("status", item.status), **current
            )
        except DjangoValidationError as exc:
            _raise_for(exc)

    @extend_schema(
        summary="List (GET) or attach (POST multipart: file, note) evidence files",
        request={"multipart/form-data": {"type": "object"}},
        responses=ItemEvidenceSerializer(many=True),
    )
    @action(detail=True, methods=["get", "post"], **WHOLE_LIST)
    def evidence(self, request, pk=None, format=None):
        item = self.get_object()
        if request.method == "POST":
            upload = request.FILES.get("file")
            if upload is None:
                raise exceptions.ValidationError({"file": [_("Send the file in field 'file'.")]})
            try:
                assessing.attach(
                    item, by=request.user, file=upload, note=request.data.get("note", "")
                )
            except DjangoValidationError as exc:
                _raise_for(exc)
        rows = item.evidence.select_related("uploaded_by")
        return Response(ItemEvidenceSerializer(rows, many=True).data)


class SystemLevelProposalViewSet(viewsets.GenericViewSet):
    """`/api/systems/{id}/level-proposal/`: the level helper on an inventory system.

    Registered under the inventory's `systems` prefix (the router adds only this detail
    route), so the inventory's API does not import compliance. A system outside the user's
    scope is a 404; a POST checks `can_edit` on the system's unit.
    """

    pagination_class = None
    queryset = InformationSystem.objects.none()  # the schema's model; rows: get_queryset
    # What a POST takes: the browsable API draws its form from it.
    serializer_class = LevelAnswersSerializer

    def get_queryset(self):
        return InformationSystem.objects.visible_to(self.request.user).select_related(
            "unit", "regime"
        )

    def get_object(self):
        system = super().get_object()
        if self.request.method not in permissions.SAFE_METHODS and not can_edit(
            self.request.user, system.unit
        ):
            raise deny_unit(system.unit)
        return system

    @extend_schema(
        methods=["GET"],
        summary="The level helper's questions, with the answers the inventory already knows",
        responses=LevelQuestionsSerializer,
    )
    @extend_schema(
        methods=["POST"],
        summary="Propose the level under each regime from the answers (stored as a proposal)",
        request=LevelAnswersSerializer,
        responses={201: LevelProposalSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="level-proposal")
    def level_proposal(self, request, pk=None, format=None):
        system = self.get_object()  # a POST checks can_edit on the system's unit
        asked = levels.questions()
        if request.method == "GET":
            data = {"questions": asked, "answers": levels.answers_from_system(system)}
            return Response(LevelQuestionsSerializer(data).data)
        body = LevelAnswersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answers, errors = level_proposals.check_answers(body.validated_data["answers"], asked)
        if errors:
            raise exceptions.ValidationError({"answers": errors})
        proposal = level_proposals.record_proposal(system, answers, by=request.user)
        return Response(LevelProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)


ROUTES: list = [
    ("libraries", LibraryViewSet, "library"),
    ("assessments", AssessmentViewSet, "assessment"),
    ("assessment-items", AssessmentItemViewSet, "assessment-item"),
    ("systems", SystemLevelProposalViewSet, "system-level-proposal"),
]
