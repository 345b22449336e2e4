"""Serializers for feedback (teacher comments, student reflections, guardian comments)."""

from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from assessments.models import Feedback, FeedbackKind, FeedbackVisibility, SkillAssessment, TestEvent
from config.api.serializers import StrictSerializer
from physed.models import ClassSession, Student


class FeedbackSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    student_name = serializers.CharField(source="student.__str__", read_only=True)

    class Meta:
        model = Feedback
        fields = [
            "id",
            "student",
            "student_name",
            "kind",
            "visibility",
            "author",
            "author_name",
            "skill_assessment",
            "session",
            "test_event",
            "body",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_author_name(self, obj) -> str:
        return obj.author.get_full_name() if obj.author_id else ""


class FeedbackCreateSerializer(StrictSerializer):
    student = ScopedPrimaryKeyRelatedField(queryset=Student.objects.all())
    kind = serializers.ChoiceField(choices=FeedbackKind.choices)
    visibility = serializers.ChoiceField(choices=FeedbackVisibility.choices, default=FeedbackVisibility.FAMILY)
    body = serializers.CharField(max_length=4000)
    skill_assessment = ScopedPrimaryKeyRelatedField(
        queryset=SkillAssessment.objects.all(), required=False, allow_null=True
    )
    session = ScopedPrimaryKeyRelatedField(queryset=ClassSession.objects.all(), required=False, allow_null=True)
    test_event = ScopedPrimaryKeyRelatedField(queryset=TestEvent.objects.all(), required=False, allow_null=True)


class FeedbackUpdateSerializer(StrictSerializer):
    body = serializers.CharField(max_length=4000, required=False)
    visibility = serializers.ChoiceField(choices=FeedbackVisibility.choices, required=False)
