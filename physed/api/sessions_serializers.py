"""Serializers for sessions, blocks, attendance, metric types and results (thin: shape and
types only; the services validate and write)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import School
from config.api.serializers import StrictModelSerializer, StrictSerializer
from physed.api.fields import WallClockTimeField
from physed.models import (
    Activity,
    AttendanceRecord,
    AttendanceStatus,
    ClassSession,
    Exercise,
    MetricType,
    PEClass,
    PerformanceResult,
    SessionBlock,
)

MAX_ID = 2**63 - 1


class SessionBlockSerializer(StrictModelSerializer):
    """A block in order. On write, send ``id`` to keep an existing block (and the results linked to
    it); blocks left out are removed, the list order is the new order."""

    id = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    activity = ScopedPrimaryKeyRelatedField(queryset=Activity.objects.all(), required=False, allow_null=True)
    exercise = ScopedPrimaryKeyRelatedField(queryset=Exercise.objects.all(), required=False, allow_null=True)
    activity_name = serializers.CharField(source="activity.name", read_only=True, allow_null=True)
    exercise_name = serializers.CharField(source="exercise.name", read_only=True, allow_null=True)

    class Meta:
        model = SessionBlock
        fields = ["id", "order", "activity", "activity_name", "exercise", "exercise_name", "planned_minutes", "notes"]
        read_only_fields = ["order"]
        extra_kwargs = {"planned_minutes": {"min_value": 1, "max_value": 240}}

    def validate(self, attrs):
        if (attrs.get("activity") is None) == (attrs.get("exercise") is None):
            raise serializers.ValidationError(_("Each block needs exactly one activity or one exercise."))
        return attrs


class ClassSessionSerializer(StrictModelSerializer):
    serializer_field_mapping = {**StrictModelSerializer.serializer_field_mapping, models.TimeField: WallClockTimeField}
    pe_class = ScopedPrimaryKeyRelatedField(queryset=PEClass.objects.all())
    pe_class_name = serializers.CharField(source="pe_class.name", read_only=True)
    blocks = SessionBlockSerializer(many=True, required=False, max_length=30)
    planned_minutes = serializers.SerializerMethodField()
    recorded_count = serializers.IntegerField(read_only=True, allow_null=True, help_text=_("Attendance rows recorded."))
    participating_count = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Students present or late.")
    )

    class Meta:
        model = ClassSession
        fields = [
            "id",
            "pe_class",
            "pe_class_name",
            "date",
            "period",
            "start_time",
            "title",
            "notes",
            "status",
            "started_at",
            "ended_at",
            "planned_minutes",
            "blocks",
            "recorded_count",
            "participating_count",
            "created_at",
        ]
        read_only_fields = ["status", "started_at", "ended_at", "created_at"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["pe_class"].read_only = True  # a session never moves to another class
        return fields

    def get_planned_minutes(self, session) -> int:
        return sum(block.planned_minutes for block in session.blocks.all())


class GenerateSessionsSerializer(StrictSerializer):
    pe_class = ScopedPrimaryKeyRelatedField(queryset=PEClass.objects.all())
    start = serializers.DateField()
    end = serializers.DateField()
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class GeneratedSessionsSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    sessions = serializers.ListField(child=serializers.IntegerField())


class CopySessionSerializer(StrictSerializer):
    date = serializers.DateField()
    pe_class = ScopedPrimaryKeyRelatedField(queryset=PEClass.objects.all(), required=False)


class AttendanceRecordSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="session.date", read_only=True)
    pe_class = serializers.IntegerField(source="session.pe_class_id", read_only=True)
    student_name = serializers.CharField(source="student.display_name", read_only=True)

    class Meta:
        model = AttendanceRecord
        fields = [
            "id",
            "session",
            "date",
            "pe_class",
            "student",
            "student_name",
            "status",
            "minutes_late",
            "note",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class AttendanceEntrySerializer(StrictSerializer):
    student = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    minutes_late = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=180)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class AttendanceBulkSerializer(StrictSerializer):
    default_status = serializers.ChoiceField(
        choices=AttendanceStatus.choices,
        required=False,
        allow_null=True,
        help_text=_("Given, every enrolled student not listed in records gets this status (e.g. present)."),
    )
    records = AttendanceEntrySerializer(many=True, required=False, max_length=500)


class AttendanceOutcomeSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    total = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField())


class AttendanceSheetRowSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    student_name = serializers.CharField()
    status = serializers.ChoiceField(choices=AttendanceStatus.choices, allow_null=True)
    minutes_late = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()


class AttendanceSheetSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    date = serializers.DateField()
    rows = AttendanceSheetRowSerializer(many=True)


class MetricTypeSerializer(StrictModelSerializer):
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all())
    is_shipped = serializers.SerializerMethodField()

    class Meta:
        model = MetricType
        fields = [
            "id",
            "school",
            "is_shipped",
            "code",
            "name",
            "unit",
            "value_kind",
            "higher_is_better",
            "min_value",
            "max_value",
            "decimal_places",
            "fitness_component",
            "description",
        ]
        validators: list = []  # uniqueness is the service's job (shipped codes count too)

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["school"].read_only = True
        return fields

    def get_is_shipped(self, metric) -> bool:
        return metric.school_id is None


class PerformanceResultSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="session.date", read_only=True)
    pe_class = serializers.IntegerField(source="session.pe_class_id", read_only=True)
    student_name = serializers.CharField(source="student.display_name", read_only=True)
    metric_code = serializers.CharField(source="metric.code", read_only=True)
    unit = serializers.CharField(source="metric.unit", read_only=True)

    class Meta:
        model = PerformanceResult
        fields = [
            "id",
            "session",
            "date",
            "pe_class",
            "block",
            "student",
            "student_name",
            "metric",
            "metric_code",
            "unit",
            "value",
            "note",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class ResultEntrySerializer(StrictSerializer):
    student = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    metric = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    value = serializers.DecimalField(
        max_digits=None, decimal_places=None, allow_null=True, help_text=_("null removes a recorded value.")
    )
    block = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class ResultsBulkSerializer(StrictSerializer):
    results = ResultEntrySerializer(many=True, max_length=2000)


class ResultsOutcomeSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    saved = serializers.IntegerField()
    removed = serializers.IntegerField()


class SessionResultsSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    results = PerformanceResultSerializer(many=True)
