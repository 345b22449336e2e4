"""Serializers for goals, milestones, progress entries and a student's progress summary. Parse and
shape only; the rules live in ``progress.services.goals`` and ``progress.services.entries``."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import School
from config.api.serializers import StrictModelSerializer, StrictSerializer
from physed.models import PEClass, Student
from progress.models import Goal, Milestone, ProgressEntry


class MilestoneSerializer(StrictModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "target_value", "due_date", "reached_at", "reached_value"]
        read_only_fields = ["reached_at", "reached_value"]


class MilestoneWriteSerializer(StrictSerializer):
    title = serializers.CharField(max_length=160)
    target_value = serializers.DecimalField(max_digits=10, decimal_places=2)
    due_date = serializers.DateField()


class GoalSerializer(StrictModelSerializer):
    """Read shape (with the current value and share of the way from baseline to target)."""

    student_name = serializers.CharField(source="student.display_name", read_only=True, default=None, allow_null=True)
    class_name = serializers.CharField(source="pe_class.name", read_only=True, default=None, allow_null=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    current_value = serializers.SerializerMethodField()
    percent = serializers.SerializerMethodField()

    class Meta:
        model = Goal
        fields = [
            "id",
            "school",
            "student",
            "student_name",
            "pe_class",
            "class_name",
            "title",
            "metric_key",
            "metric_label",
            "unit",
            "higher_is_better",
            "baseline",
            "target",
            "start_date",
            "deadline",
            "status",
            "status_display",
            "proposed_by_student",
            "note",
            "decision_note",
            "approved_at",
            "achieved_at",
            "milestones",
            "current_value",
            "percent",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _progress(self, obj) -> dict:
        from progress.selectors.goals import goal_progress

        cache = self.context.setdefault("_progress", {})
        if obj.pk not in cache:
            cache[obj.pk] = goal_progress(obj)
        return cache[obj.pk]

    def get_current_value(self, obj) -> float | None:
        return self._progress(obj)["current"]

    def get_percent(self, obj) -> int | None:
        return self._progress(obj)["percent"]


class GoalWriteSerializer(StrictSerializer):
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all(), required=False)
    student = ScopedPrimaryKeyRelatedField(queryset=Student.objects.all(), required=False, allow_null=True)
    pe_class = ScopedPrimaryKeyRelatedField(queryset=PEClass.objects.all(), required=False, allow_null=True)
    title = serializers.CharField(max_length=160)
    metric_key = serializers.CharField(
        max_length=60, help_text=_("e.g. fitness.pacer_20m, metric.<code>, attendance.rate")
    )
    baseline = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, help_text=_("Default: the latest value before the start.")
    )
    target = serializers.DecimalField(max_digits=10, decimal_places=2)
    start_date = serializers.DateField(required=False, help_text=_("Default: today."))
    deadline = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    milestones = MilestoneWriteSerializer(many=True, required=False)


class GoalUpdateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=160, required=False)
    metric_key = serializers.CharField(max_length=60, required=False)
    baseline = serializers.DecimalField(max_digits=10, decimal_places=2, required=False)
    target = serializers.DecimalField(max_digits=10, decimal_places=2, required=False)
    start_date = serializers.DateField(required=False)
    deadline = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    milestones = MilestoneWriteSerializer(many=True, required=False, help_text=_("Replaces all milestones."))


class GoalDecisionSerializer(StrictSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ProgressEntrySerializer(StrictModelSerializer):
    student_name = serializers.CharField(source="student.display_name", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)

    class Meta:
        model = ProgressEntry
        fields = [
            "id",
            "student",
            "student_name",
            "metric_key",
            "value",
            "date",
            "zone",
            "source",
            "source_display",
            "group_key",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class ProgressEntryCreateSerializer(StrictSerializer):
    student = ScopedPrimaryKeyRelatedField(queryset=Student.objects.all())
    metric_key = serializers.CharField(max_length=60)
    value = serializers.DecimalField(max_digits=10, decimal_places=2)
    date = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class BadgeBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    badge = serializers.CharField()
    icon = serializers.CharField()
    awarded_on = serializers.DateField()
    reasons = serializers.ListField(child=serializers.CharField())


class StudentProgressSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    name = serializers.CharField()
    goals = GoalSerializer(many=True)
    achievements = BadgeBriefSerializer(many=True)
    entries_count = serializers.IntegerField()
