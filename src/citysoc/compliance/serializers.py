"""JSON shapes of libraries (with requirements), assessments, their items and evidence."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from citysoc.compliance import assessing
from citysoc.compliance.models import (
    Assessment,
    AssessmentItem,
    ItemEvidence,
    Library,
    Requirement,
)
from citysoc.core.serializers import ScopedRelationsMixin, UsernameField
from citysoc.inventory.models import InformationSystem


class RequirementSerializer(serializers.ModelSerializer):
    # The name shadows DRF's Field.parent in the stubs; the serializer's metaclass takes
    # declared fields off the class, so at run time there is no clash.
    parent: serializers.SlugRelatedField = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="urn",
        read_only=True,
        allow_null=True,
        help_text=_("URN of the group this node belongs to."),
    )

    class Meta:
        model = Requirement
        fields = [
            "id",
            "urn",
            "ref_id",
            "parent",
            "order",
            "depth",
            "assessable",
            "kind",
            "title",
            "title_en",
            "description",
            "description_en",
            "levels",
            "importance",
            "typical_evidence",
            "thresholds",
            "official",
            "source",
        ]
        read_only_fields = fields


class LibrarySerializer(serializers.ModelSerializer):
    regime = serializers.CharField(source="regime.code", read_only=True)
    superseded_by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="urn", read_only=True, allow_null=True
    )
    requirements = RequirementSerializer(
        many=True,
        read_only=True,
        help_text=_(
            "Groups and requirements in library order; with ?level=N, the requirements "
            "that apply at level N and the groups above them."
        ),
    )

    class Meta:
        model = Library
        fields = [
            "id",
            "urn",
            "ref_id",
            "name",
            "name_en",
            "description",
            "version",
            "regime",
            "provider",
            "valid_from",
            "valid_to",
            "superseded_by",
            "requirements",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        level = self.context.get("level")
        if level is not None:
            data["requirements"] = _at_level(data["requirements"], level)
        return data


def _at_level(nodes: list[dict], level: int) -> list[dict]:
    """The requirements that apply at `level` and the groups above them, in order."""
    parents = {n["urn"]: n["parent"] for n in nodes}
    keep = set()
    for node in nodes:
        if node["assessable"] and level in node["levels"]:
            urn = node["urn"]
            while urn is not None and urn not in keep:
                keep.add(urn)
                urn = parents.get(urn)
    return [n for n in nodes if n["urn"] in keep]


class TallySerializer(serializers.Serializer):
    total = serializers.IntegerField()
    answered = serializers.IntegerField()
    met = serializers.IntegerField()
    partly = serializers.IntegerField()
    not_met = serializers.IntegerField()
    not_applicable = serializers.IntegerField()
    percent_answered = serializers.IntegerField()
    score = serializers.FloatField(
        allow_null=True,
        help_text=_(
            "Percent of the applicable items met: met 1, partly 0.5, not met and not yet "
            "assessed 0; not applicable items are left out. Null when none applies."
        ),
    )


class GroupProgressSerializer(serializers.Serializer):
    group = serializers.CharField(source="group.urn", allow_null=True, default=None)
    ref_id = serializers.CharField(source="group.ref_id", allow_null=True, default=None)
    title = serializers.CharField(source="group.display_title", allow_null=True, default=None)
    tally = TallySerializer()


class ProgressSerializer(serializers.Serializer):
    overall = TallySerializer()
    groups = GroupProgressSerializer(many=True, help_text=_("One entry per top-level group."))


class ItemEvidenceSerializer(serializers.ModelSerializer):
    uploaded_by = UsernameField()

    class Meta:
        model = ItemEvidence
        fields = ["id", "filename", "note", "uploaded_by", "uploaded_at"]


class ItemRequirementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Requirement
        fields = ["urn", "ref_id", "title", "title_en", "levels", "importance", "official"]
        read_only_fields = fields


class AssessmentItemSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="assessment.unit.code", read_only=True)
    assessment: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    requirement = ItemRequirementSerializer(read_only=True)
    assessor = UsernameField()
    evidence = ItemEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = AssessmentItem
        fields = [
            "id",
            "assessment",
            "unit",
            "requirement",
            "status",
            "reason",
            "note",
            "evidence_link",
            "gap_owner",
            "gap_due",
            "assessor",
            "assessed_on",
            "evidence",
        ]
        read_only_fields = ["assessed_on"]


class AssessmentSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    system = serializers.PrimaryKeyRelatedField(
        queryset=InformationSystem.objects.all(), help_text=_("Id of the information system.")
    )
    system_name = serializers.CharField(source="system.name", read_only=True)
    library = serializers.SlugRelatedField(
        slug_field="urn", queryset=Library.objects.all(), help_text=_("URN of the library.")
    )
    started_by = UsernameField()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "unit",
            "system",
            "system_name",
            "library",
            "level",
            "status",
            "title",
            "started_by",
            "started_on",
            "completed_on",
            "progress",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["level", "status", "started_on", "completed_on"]

    @extend_schema_field(TallySerializer)
    def get_progress(self, obj: Assessment) -> dict:
        tally = assessing.tally_from_annotations(obj)
        return TallySerializer(tally).data


# The level helper over the API (`/api/systems/{id}/level-proposal/`, compliance/api.py).


class LevelChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    # DRF's metaclass takes declared fields out of the class, so this does not replace
    # Field.label at run time; the stubs cannot know that.
    label = serializers.CharField(help_text=_("In Vietnamese."))  # type: ignore[assignment]
    label_en = serializers.CharField()

    def to_representation(self, instance):
        value, label, label_en = instance
        return {"value": value, "label": label, "label_en": label_en}


class LevelQuestionSerializer(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.ChoiceField(choices=["bool", "int", "choice", "multi"])
    text = serializers.CharField(help_text=_("In Vietnamese."))
    text_en = serializers.CharField()
    choices = LevelChoiceSerializer(many=True)


class LevelQuestionsSerializer(serializers.Serializer):
    questions = LevelQuestionSerializer(many=True)
    answers = serializers.DictField(
        help_text=_("Answers the inventory already knows, by question id.")
    )


class LevelAnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(
        help_text=_(
            "By question id: true/false (bool), a number (int), a choice value (choice) or a "
            "list of choice values (multi). A question left out never raises the level."
        )
    )


class RegimeLevelSerializer(serializers.Serializer):
    level = serializers.IntegerField(min_value=1, max_value=5)
    library = serializers.CharField(help_text=_("URN of the library whose criteria applied."))
    reasons = serializers.ListField(child=serializers.CharField(), help_text=_("In Vietnamese."))
    reasons_en = serializers.ListField(child=serializers.CharField())


class LevelProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    system = serializers.IntegerField(source="system_id")
    answers = serializers.DictField()
    proposals = serializers.DictField(
        child=RegimeLevelSerializer(), help_text=_("By regime code, e.g. nd85-2016.")
    )
    created_at = serializers.DateTimeField()
