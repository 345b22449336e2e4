"""Serializers for badge definitions and awards. Rule checks live in the service/engine."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import School
from config.api.serializers import StrictBooleanField, StrictModelSerializer
from progress.models import Achievement, AchievementDefinition, BadgeIcon

RULE_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["all_hfz", "attendance_streak", "improvement", "goal_achieved"]},
        "min_tests": {"type": "integer"},
        "length": {"type": "integer"},
        "metric_key": {"type": "string"},
        "delta": {"type": "number"},
        "count": {"type": "integer"},
    },
    "required": ["type"],
}


@extend_schema_field(RULE_SCHEMA)
class RuleField(serializers.JSONField):
    pass


class AchievementDefinitionSerializer(StrictModelSerializer):
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all(), required=False, allow_null=True)
    icon = serializers.ChoiceField(choices=BadgeIcon.choices, required=False)
    rule = RuleField()
    active = StrictBooleanField(required=False)
    shipped = serializers.SerializerMethodField()
    awards = serializers.SerializerMethodField()

    class Meta:
        model = AchievementDefinition
        fields = [
            "id",
            "school",
            "code",
            "name",
            "description",
            "icon",
            "rule",
            "active",
            "source",
            "shipped",
            "awards",
        ]
        validators = []  # code uniqueness: the service (school may be implied)

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["school"].read_only = True
        return fields

    def get_shipped(self, obj) -> bool:
        return obj.school_id is None

    def get_awards(self, obj) -> int | None:
        return getattr(obj, "award_count", None)


class AchievementSerializer(StrictModelSerializer):
    badge = serializers.CharField(source="definition.name", read_only=True)
    icon = serializers.CharField(source="definition.icon", read_only=True)
    student_name = serializers.CharField(source="student.display_name", read_only=True)

    class Meta:
        model = Achievement
        fields = [
            "id",
            "definition",
            "badge",
            "icon",
            "student",
            "student_name",
            "awarded_on",
            "evidence",
            "created_at",
        ]
        read_only_fields = fields
