"""REST API: `/api/courses/` (the city's courses), `/api/programmes/` and `/api/drills/`
(unit scoped, with their completion and results), and `GET /api/scam-check/?q=…`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from citysoc.awareness import drills, programmes, scamlists
from citysoc.awareness.models import Course, Drill, Programme, Target
from citysoc.core.api import ApiPagination, UnitOwnedFilter
from citysoc.core.models import Unit


class CourseSerializer(serializers.ModelSerializer):
    lessons = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = ["id", "slug", "title", "summary", "pass_mark", "questions_per_attempt",
                  "max_attempts", "is_remedial", "version", "lessons", "questions"]  # fmt: skip

    def get_lessons(self, course) -> int:
        return len(course.lessons.all())

    def get_questions(self, course) -> int:
        return len(course.questions.all())


class ProgrammeSerializer(serializers.ModelSerializer):
    unit: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    courses: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    completion = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = ["id", "unit", "name", "courses", "starts_on", "due_days", "recurrence_days",
                  "is_active", "completion"]  # fmt: skip

    def get_completion(self, programme) -> list[dict]:
        user = self.context["request"].user
        rows = programmes.current_enrolments(programme).filter(
            unit__in=Unit.objects.visible_to(user)
        )
        return [
            {"unit": c.label, "done": c.done, "total": c.total, "overdue": c.overdue,
             "percent": c.percent}
            for c in programmes.completion_by_unit(rows)
        ]  # fmt: skip


class DrillSerializer(serializers.ModelSerializer):
    unit: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    template: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    results = serializers.SerializerMethodField()

    class Meta:
        model = Drill
        fields = ["id", "unit", "name", "template", "status", "sent_at", "finished_at",
                  "results"]  # fmt: skip

    def get_results(self, drill) -> dict:
        targets = Target.objects.visible_to(self.context["request"].user).filter(drill=drill)
        t = drills.tally(targets)
        return {"targets": t.targets, "sent": t.sent, "opened": t.opened, "clicked": t.clicked,
                "submitted": t.submitted, "reported": t.reported}  # fmt: skip


class ProgrammeFilter(UnitOwnedFilter):
    class Meta:
        model = Programme
        fields = ["unit", "within", "is_active"]


class DrillFilter(UnitOwnedFilter):
    class Meta:
        model = Drill
        fields = ["unit", "within", "status"]


@extend_schema_view(list=extend_schema(summary="Awareness courses (the city's, shared)"))
class CourseViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CourseSerializer
    pagination_class = ApiPagination
    queryset = Course.objects.prefetch_related("lessons", "questions")


@extend_schema_view(list=extend_schema(summary="Awareness programmes of your units"))
class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProgrammeSerializer
    pagination_class = ApiPagination
    filterset_class = ProgrammeFilter

    def get_queryset(self):
        return (
            Programme.objects.visible_to(self.request.user)
            .select_related("unit")
            .prefetch_related("courses")
        )


@extend_schema_view(list=extend_schema(summary="Phishing drills of your units, with results"))
class DrillViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DrillSerializer
    pagination_class = ApiPagination
    filterset_class = DrillFilter

    def get_queryset(self):
        return Drill.objects.visible_to(self.request.user).select_related("unit", "template")


class ScamCheckSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=["safe", "suspicious", "dangerous", "unknown"])
    kind = serializers.CharField()
    checked = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    codes = serializers.ListField(child=serializers.CharField())
    advice = serializers.ListField(child=serializers.CharField())


@extend_schema(
    summary="Check a link, domain, phone number or message for scam signs",
    parameters=[OpenApiParameter("q", str, description=_("What to check (never fetched)."))],
    responses=ScamCheckSerializer,
)
@api_view(["GET"])
def scam_check_view(request):
    q = request.query_params.get("q", "").strip()
    if not q:
        return Response({"q": [_("Give something to check: ?q=…")]}, status.HTTP_400_BAD_REQUEST)
    return Response(scamlists.as_json(scamlists.check(q, public=False)))


ROUTES: list = [
    ("courses", CourseViewSet, "course"),
    ("programmes", ProgrammeViewSet, "programme"),
    ("drills", DrillViewSet, "drill"),
]
