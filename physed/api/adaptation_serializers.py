"""Serializers for adaptation profiles, proposals, recommendations and feedback."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from config.api.serializers import StrictModelSerializer, StrictSerializer
from physed.engines.data import recommendation_config
from physed.engines.reasons import render_reason
from physed.models import (
    Activity,
    ActivityCategory,
    AdaptationProfile,
    AdaptationProposal,
    ClassSession,
    FeedbackAction,
    ModificationKind,
    PEClass,
    RecommendationFeedback,
    RestrictionKind,
    Space,
    Student,
)


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            category: {"type": "integer", "minimum": 1, "maximum": 5} for category in ActivityCategory.values
        },
        "additionalProperties": False,
    }
)
class CategorySkillLevelsField(serializers.DictField):
    """Skill level 1-5 per activity category (the keys are the categories)."""

    child = serializers.IntegerField(min_value=1, max_value=5)


class RestrictionSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=RestrictionKind.choices)
    until = serializers.DateField(required=False, allow_null=True, help_text=_("Last day it applies (inclusive)."))


class AdaptationProfileSerializer(StrictModelSerializer):
    """A student's profile; ``notes`` are sensitive and only in the single-profile view."""

    student = ScopedPrimaryKeyRelatedField(queryset=Student.objects.all())
    student_name = serializers.CharField(source="student.display_name", read_only=True)
    restrictions = RestrictionSerializer(many=True, required=False)
    category_skill_levels = CategorySkillLevelsField(required=False)
    preferred_modifications = serializers.ListField(
        child=serializers.ChoiceField(choices=ModificationKind.choices), required=False
    )

    class Meta:
        model = AdaptationProfile
        fields = [
            "id",
            "student",
            "student_name",
            "has_iep",
            "has_504",
            "notes",
            "restrictions",
            "skill_level",
            "category_skill_levels",
            "preferred_modifications",
            "assistance_needs",
            "updated_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["updated_by", "created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["student"].read_only = True
        return fields

    def validate_category_skill_levels(self, value):
        unknown = sorted(set(value) - set(ActivityCategory.values))
        if unknown:
            raise serializers.ValidationError(_("Unknown categories: %(names)s.") % {"names": ", ".join(unknown)})
        return value


class AdaptationProfileListSerializer(AdaptationProfileSerializer):
    has_notes = serializers.SerializerMethodField()

    class Meta(AdaptationProfileSerializer.Meta):
        fields = [name for name in AdaptationProfileSerializer.Meta.fields if name != "notes"] + ["has_notes"]

    def get_has_notes(self, obj) -> bool:
        return bool(obj.notes)


class ReasonListField(serializers.ListField):
    child = serializers.CharField()


class FactorSerializer(serializers.Serializer):
    factor = serializers.CharField()
    value = serializers.FloatField()
    weight = serializers.FloatField()
    points = serializers.FloatField()
    reason = serializers.SerializerMethodField()

    def get_reason(self, item) -> str:
        return render_reason(item.get("reason") or {})


class AdaptationProposalSerializer(serializers.ModelSerializer):
    student_name = serializers.CharField(source="student.display_name", read_only=True, allow_null=True)
    activity_name = serializers.CharField(source="activity.name", read_only=True, allow_null=True)
    block_order = serializers.IntegerField(source="block.order", read_only=True, allow_null=True)
    factors = serializers.SerializerMethodField()
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = AdaptationProposal
        fields = [
            "id",
            "session",
            "block",
            "block_order",
            "activity",
            "activity_name",
            "student",
            "student_name",
            "kind",
            "direction",
            "text",
            "score",
            "required",
            "status",
            "factors",
            "reasons",
            "decided_by",
            "decided_at",
            "decision_note",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(FactorSerializer(many=True))
    def get_factors(self, obj):
        return FactorSerializer(obj.factors or [], many=True).data

    def get_reasons(self, obj) -> list[str]:
        return [render_reason(item.get("reason") or {}) for item in obj.factors or []]


class BlockSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    session = serializers.IntegerField(source="session_id")
    activity = serializers.IntegerField(source="activity_id")
    activity_name = serializers.CharField(source="activity.name")
    planned_minutes = serializers.IntegerField()


class SessionAdaptationsSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    block = BlockSummarySerializer(allow_null=True)
    threshold = serializers.FloatField()
    proposals = AdaptationProposalSerializer(many=True)


class SessionAdaptationsQuerySerializer(StrictSerializer):
    block = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Adapt this block instead of the next one.")
    )


class DecisionSerializer(StrictSerializer):
    proposal = ScopedPrimaryKeyRelatedField(queryset=AdaptationProposal.objects.all())
    accepted = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class DecisionsSerializer(StrictSerializer):
    decisions = DecisionSerializer(many=True, allow_empty=False, max_length=200)


class DecidedSerializer(serializers.Serializer):
    decided = AdaptationProposalSerializer(many=True)


# ---- recommendations --------------------------------------------------------------------------


class RecommendationQuerySerializer(StrictSerializer):
    limit = serializers.IntegerField(required=False, min_value=1, max_value=recommendation_config()["max_limit"])
    equipment = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Comma-separated equipment keys available (omit = no check).")
    )
    duration = serializers.IntegerField(required=False, min_value=1, max_value=240, help_text=_("Minutes available."))
    space = serializers.ChoiceField(choices=Space.choices, required=False)
    session = serializers.IntegerField(required=False, min_value=1, help_text=_("The session being planned."))

    def validate_equipment(self, value):
        return frozenset(slug.strip() for slug in value.split(",") if slug.strip())


class ActivitySummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    category = serializers.CharField()
    space = serializers.CharField()
    intensity = serializers.CharField()
    duration_minutes = serializers.IntegerField()
    difficulty = serializers.IntegerField()
    fitness_components = serializers.ListField(child=serializers.CharField())
    equipment = serializers.ListField(child=serializers.CharField())


class ComponentSerializer(serializers.Serializer):
    name = serializers.CharField()
    value = serializers.FloatField()
    weight = serializers.FloatField()
    points = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


class ModificationNeededSerializer(serializers.Serializer):
    restriction = serializers.CharField()
    kind = serializers.CharField()
    text = serializers.CharField()


class RecommendationSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    activity = ActivitySummarySerializer()
    score = serializers.FloatField()
    components = ComponentSerializer(many=True)
    reasons = serializers.ListField(child=serializers.CharField())
    modifications_needed = ModificationNeededSerializer(many=True)


class ExcludedSerializer(serializers.Serializer):
    activity = ActivitySummarySerializer()
    reasons = serializers.ListField(child=serializers.CharField())


class GapSerializer(serializers.Serializer):
    component = serializers.CharField()
    value = serializers.FloatField()
    share_below = serializers.FloatField()
    students = serializers.IntegerField()
    source = serializers.CharField()


class RecommendationsSerializer(serializers.Serializer):
    considered = serializers.IntegerField()
    gaps = GapSerializer(many=True)
    results = RecommendationSerializer(many=True)
    excluded = ExcludedSerializer(many=True)


class RecommendationFeedbackSerializer(StrictModelSerializer):
    pe_class = ScopedPrimaryKeyRelatedField(queryset=PEClass.objects.all())
    activity = ScopedPrimaryKeyRelatedField(queryset=Activity.objects.all())
    session = ScopedPrimaryKeyRelatedField(queryset=ClassSession.objects.all(), required=False, allow_null=True)
    action = serializers.ChoiceField(choices=FeedbackAction.choices)
    activity_name = serializers.CharField(source="activity.name", read_only=True)

    class Meta:
        model = RecommendationFeedback
        fields = [
            "id",
            "pe_class",
            "activity",
            "activity_name",
            "session",
            "action",
            "reason",
            "score",
            "actor",
            "created_at",
        ]
        read_only_fields = ["actor", "created_at"]
