"""Serializers for progress reports, report batches (jobs) and the students'/guardians' view."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from assessments.models import ProgressReport, ReportBatch
from assessments.selectors.reports import visible_data
from config.api.serializers import StrictModelSerializer, StrictSerializer
from physed.models import PEClass, Student, Term


class _DataMixin:
    @extend_schema_field({"type": "object", "additionalProperties": True, "description": "The numbers snapshot"})
    def get_data(self, obj):
        request = self.context.get("request")
        return visible_data(request.user, obj) if request else {}


class ProgressReportSerializer(_DataMixin, serializers.ModelSerializer):
    student_name = serializers.SerializerMethodField()
    class_name = serializers.CharField(source="pe_class.name", default="", read_only=True)
    data = serializers.SerializerMethodField()
    narrative_edited = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "student",
            "student_name",
            "pe_class",
            "class_name",
            "school_year",
            "term",
            "period_start",
            "period_end",
            "status",
            "data",
            "generated_en",
            "generated_es",
            "narrative_en",
            "narrative_es",
            "narrative_edited",
            "teacher_comment",
            "generated_at",
            "published_at",
            "published_by",
            "updated_at",
        ]
        read_only_fields = fields

    def get_student_name(self, obj) -> str:
        return f"{obj.student.first_name} {obj.student.last_name}"

    def get_narrative_edited(self, obj) -> dict[str, bool]:
        return {"en": obj.narrative_en != obj.generated_en, "es": obj.narrative_es != obj.generated_es}


class ProgressReportListSerializer(serializers.ModelSerializer):
    student_name = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "student",
            "student_name",
            "pe_class",
            "school_year",
            "term",
            "period_start",
            "period_end",
            "status",
            "generated_at",
            "published_at",
        ]
        read_only_fields = fields

    def get_student_name(self, obj) -> str:
        return f"{obj.student.first_name} {obj.student.last_name}"


class ProgressReportUpdateSerializer(StrictModelSerializer):
    narrative_en = serializers.CharField(required=False, allow_blank=True, max_length=20000, trim_whitespace=False)
    narrative_es = serializers.CharField(required=False, allow_blank=True, max_length=20000, trim_whitespace=False)
    teacher_comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, trim_whitespace=False)

    class Meta:
        model = ProgressReport
        fields = ["narrative_en", "narrative_es", "teacher_comment"]


class _PeriodSerializer(StrictSerializer):
    school_year = serializers.IntegerField(min_value=2000, max_value=2100)
    term = serializers.ChoiceField(choices=Term.choices)
    period_start = serializers.DateField()
    period_end = serializers.DateField()

    def validate(self, attrs):
        if attrs["period_end"] < attrs["period_start"]:
            raise serializers.ValidationError({"period_end": ["The period ends before it starts."]})
        return attrs


class GenerateReportSerializer(_PeriodSerializer):
    student = ScopedPrimaryKeyRelatedField(queryset=Student.objects.all())
    pe_class = ScopedPrimaryKeyRelatedField(queryset=PEClass.objects.all())


class UnpublishSerializer(StrictSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ReportBatchSerializer(serializers.ModelSerializer):
    result_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportBatch
        fields = [
            "id",
            "pe_class",
            "school_year",
            "term",
            "period_start",
            "period_end",
            "status",
            "progress",
            "done",
            "total",
            "error",
            "created_at",
            "finished_at",
            "result_url",
        ]
        read_only_fields = fields

    def get_result_url(self, obj) -> str | None:
        """The reports of the class and term (API list), once the job is done."""
        if obj.status != "done":
            return None
        url = reverse("assessments-report-list")
        return f"{url}?pe_class={obj.pe_class_id}&school_year={obj.school_year}&term={obj.term}"


class ReportBatchCreateSerializer(_PeriodSerializer):
    pe_class = ScopedPrimaryKeyRelatedField(queryset=PEClass.objects.all())


class MyReportSerializer(_DataMixin, serializers.ModelSerializer):
    """A published report for its student or a guardian, in the reader's language."""

    student_name = serializers.SerializerMethodField()
    class_name = serializers.CharField(source="pe_class.name", default="", read_only=True)
    language = serializers.SerializerMethodField()
    narrative = serializers.SerializerMethodField()
    data = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "student",
            "student_name",
            "class_name",
            "school_year",
            "term",
            "period_start",
            "period_end",
            "language",
            "narrative",
            "teacher_comment",
            "data",
            "published_at",
        ]
        read_only_fields = fields

    def get_student_name(self, obj) -> str:
        return f"{obj.student.first_name} {obj.student.last_name}"

    def get_language(self, obj) -> str:
        return self.context.get("report_language", "en")

    def get_narrative(self, obj) -> str:
        return obj.narrative_es if self.get_language(obj) == "es" else obj.narrative_en
