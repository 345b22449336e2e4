"""Serializers for rubrics (nested criteria × levels × descriptors), skill assessments and
evidence files."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import School
from assessments.models import (
    AssessmentMode,
    CriterionScore,
    EvidenceFile,
    PerformanceLevel,
    Rubric,
    RubricCriterion,
    SkillAssessment,
)
from assessments.selectors import rubrics as sel
from config.api.serializers import StrictBooleanField, StrictModelSerializer, StrictSerializer
from physed.models import Activity, ClassSession, GradeSpanIndicator, PEClass, PEStandard, Student


class LevelInSerializer(StrictSerializer):
    name = serializers.CharField(max_length=60)
    points = serializers.DecimalField(max_digits=5, decimal_places=2)


class CriterionInSerializer(StrictSerializer):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=400, required=False, allow_blank=True, default="")
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, default=1)
    indicators = serializers.PrimaryKeyRelatedField(
        queryset=GradeSpanIndicator.objects.all(), many=True, required=False, default=list
    )
    descriptors = serializers.ListField(
        child=serializers.CharField(max_length=400, allow_blank=True),
        required=False,
        default=list,
        help_text=_("One text per level, in the order of ``levels``."),
    )


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = PerformanceLevel
        fields = ["id", "name", "points", "position"]


class DescriptorOutSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    text = serializers.CharField()


class CriterionSerializer(serializers.ModelSerializer):
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True)
    descriptors = serializers.SerializerMethodField()

    class Meta:
        model = RubricCriterion
        fields = ["id", "name", "description", "weight", "position", "indicators", "descriptors"]

    @extend_schema_field(DescriptorOutSerializer(many=True))
    def get_descriptors(self, obj):
        return [{"level": d.level_id, "text": d.text} for d in obj.descriptors.all()]


class RubricSerializer(StrictModelSerializer):
    """Read: the rubric with its grid. Write: ``criteria`` and ``levels`` replace the structure
    (refused once students were assessed with it — copy it instead)."""

    school = ScopedPrimaryKeyRelatedField(
        queryset=School.objects.all(), required=False, help_text=_("Needed only when you work in several schools.")
    )
    activity = ScopedPrimaryKeyRelatedField(queryset=Activity.objects.all(), required=False, allow_null=True)
    standards = serializers.PrimaryKeyRelatedField(queryset=PEStandard.objects.all(), many=True, required=False)
    indicators = serializers.PrimaryKeyRelatedField(
        queryset=GradeSpanIndicator.objects.all(), many=True, required=False
    )
    shared = StrictBooleanField(required=False)
    peer_mode = StrictBooleanField(required=False)
    archived = StrictBooleanField(required=False)
    criteria = CriterionInSerializer(many=True, write_only=True, required=False)
    levels = LevelInSerializer(many=True, write_only=True, required=False)
    criteria_detail = CriterionSerializer(source="criteria", many=True, read_only=True)
    levels_detail = LevelSerializer(source="levels", many=True, read_only=True)
    owner_name = serializers.SerializerMethodField()
    can_edit = serializers.SerializerMethodField()

    class Meta:
        model = Rubric
        fields = [
            "id",
            "school",
            "title",
            "description",
            "activity",
            "grade_from",
            "grade_to",
            "standards",
            "indicators",
            "shared",
            "peer_mode",
            "archived",
            "owner",
            "owner_name",
            "can_edit",
            "criteria",
            "levels",
            "criteria_detail",
            "levels_detail",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["owner", "created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["school"].read_only = True
        return fields

    def get_owner_name(self, obj) -> str:
        return obj.owner.get_full_name() if obj.owner_id else ""

    def get_can_edit(self, obj) -> bool:
        request = self.context.get("request")
        return bool(request and sel.can_edit_rubric(request.user, obj))


class RubricListSerializer(serializers.ModelSerializer):
    criteria_count = serializers.IntegerField(read_only=True)
    assessment_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Rubric
        fields = [
            "id",
            "school",
            "title",
            "description",
            "grade_from",
            "grade_to",
            "shared",
            "peer_mode",
            "archived",
            "owner",
            "criteria_count",
            "assessment_count",
            "updated_at",
        ]


class CopySerializer(StrictSerializer):
    title = serializers.CharField(max_length=160, required=False, allow_blank=True, default="")


class ScoreSerializer(serializers.ModelSerializer):
    criterion_name = serializers.CharField(source="criterion.name", read_only=True)
    level_name = serializers.CharField(source="level.name", read_only=True)

    class Meta:
        model = CriterionScore
        fields = ["criterion", "criterion_name", "level", "level_name", "points"]


class EvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceFile
        fields = ["id", "original_name", "content_type", "size_bytes", "uploaded_at", "download_url"]

    def get_download_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("assessments-skill-evidence-download", kwargs={"pk": obj.assessment_id, "evidence_id": obj.pk})


class EvidenceUploadSerializer(StrictSerializer):
    file = serializers.FileField()


class SkillAssessmentSerializer(serializers.ModelSerializer):
    rubric_title = serializers.CharField(source="rubric.title", read_only=True)
    student_name = serializers.CharField(source="student.__str__", read_only=True)
    scores = ScoreSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = SkillAssessment
        fields = [
            "id",
            "rubric",
            "rubric_title",
            "student",
            "student_name",
            "pe_class",
            "session",
            "mode",
            "assessor",
            "peer",
            "date",
            "score",
            "comment",
            "scores",
            "evidence",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ScoreStudentSerializer(StrictSerializer):
    rubric = ScopedPrimaryKeyRelatedField(queryset=Rubric.objects.all())
    student = ScopedPrimaryKeyRelatedField(queryset=Student.objects.all())
    levels = serializers.DictField(
        child=serializers.IntegerField(min_value=1),
        help_text=_("{criterion id: level id} for every criterion of the rubric."),
    )
    mode = serializers.ChoiceField(choices=AssessmentMode.choices, default=AssessmentMode.TEACHER)
    date = serializers.DateField(required=False)
    pe_class = ScopedPrimaryKeyRelatedField(queryset=PEClass.objects.all(), required=False, allow_null=True)
    session = ScopedPrimaryKeyRelatedField(queryset=ClassSession.objects.all(), required=False, allow_null=True)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
