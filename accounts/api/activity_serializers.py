"""Serializers for activity tracking and analytics (parse and shape only)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import ActivityEvent, ActivityKind, SatisfactionKind, SatisfactionResponse, SchoolActivityPolicy
from config.api.serializers import StrictModelSerializer, StrictSerializer


class StrictBooleanField(serializers.BooleanField):
    """Only JSON true/false (the schema says boolean; 0, 1, "yes" are a 400)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


TRACKING_LEVELS = [("off", "off"), ("minimal", "minimal"), ("full", "full")]


class ActivityEventSerializer(serializers.ModelSerializer):
    school_name = serializers.CharField(source="school.name", default=None, read_only=True, allow_null=True)

    class Meta:
        model = ActivityEvent
        fields = [
            "id",
            "occurred_at",
            "kind",
            "route_group",
            "action",
            "method",
            "status_code",
            "duration_ms",
            "school",
            "school_name",
        ]
        read_only_fields = fields


class ActivitySettingsSerializer(StrictSerializer):
    tracking_enabled = StrictBooleanField(
        help_text=_("False: nothing about your use of the platform is recorded from now on.")
    )
    tracking_level = serializers.ChoiceField(
        choices=TRACKING_LEVELS,
        read_only=True,
        help_text=_("What is recorded: nothing, sign-ins only (students by default), or features and actions too."),
    )


class SchoolQuerySerializer(serializers.Serializer):
    school = serializers.IntegerField(required=False, help_text=_("Defaults to your first permitted school."))


class WindowQuerySerializer(SchoolQuerySerializer):
    days = serializers.IntegerField(required=False, min_value=1, max_value=365, default=30)


class DailySerializer(serializers.Serializer):
    date = serializers.DateField()
    active_users = serializers.IntegerField()


class AdoptionSerializer(serializers.Serializer):
    feature = serializers.CharField()
    users = serializers.IntegerField()
    share = serializers.FloatField()


class EngagementSerializer(serializers.Serializer):
    dau = serializers.IntegerField()
    wau = serializers.IntegerField()
    mau = serializers.IntegerField()
    stickiness = serializers.FloatField()
    active_users = serializers.IntegerField()
    events = serializers.IntegerField()
    sessions = serializers.IntegerField()
    sessions_per_user = serializers.FloatField()
    daily = DailySerializer(many=True)
    feature_adoption = AdoptionSerializer(many=True)


class TopFeatureSerializer(serializers.Serializer):
    feature = serializers.CharField()
    events = serializers.IntegerField()


class UsageSerializer(serializers.Serializer):
    heatmap = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text=_("7 rows (Monday first) × 24 hours, in the school's time zone."),
    )
    top_features = TopFeatureSerializer(many=True)


class SequenceSerializer(serializers.Serializer):
    steps = serializers.ListField(child=serializers.CharField())
    count = serializers.IntegerField()


class BehaviourSerializer(serializers.Serializer):
    pairs = SequenceSerializer(many=True)
    triples = SequenceSerializer(many=True)


class LatencySerializer(serializers.Serializer):
    route_group = serializers.CharField()
    requests = serializers.IntegerField()
    p50_ms = serializers.IntegerField()
    p95_ms = serializers.IntegerField()
    p99_ms = serializers.IntegerField()


class WindowSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    days = serializers.IntegerField()


class AnalyticsReportSerializer(serializers.Serializer):
    school = serializers.IntegerField()
    window = WindowSerializer()
    engagement = EngagementSerializer()
    usage = UsageSerializer()
    behaviour = BehaviourSerializer()
    performance = LatencySerializer(many=True)


class PromptSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SatisfactionKind.choices)
    question = serializers.CharField()
    min = serializers.IntegerField()
    max = serializers.IntegerField()


class PendingPromptSerializer(serializers.Serializer):
    school = serializers.IntegerField(allow_null=True)
    prompt = PromptSerializer(allow_null=True, help_text=_("Null when no prompt is due (at most one per interval)."))


class CsatAnswerSerializer(StrictSerializer):
    score = serializers.IntegerField(min_value=1, max_value=5, help_text=_("1 = very dissatisfied, 5 = very satisfied"))


class NpsAnswerSerializer(StrictSerializer):
    score = serializers.IntegerField(
        min_value=0, max_value=10, help_text=_("0 = not at all likely, 10 = extremely likely")
    )


class SatisfactionDismissSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=SatisfactionKind.choices)


class SatisfactionResponseSerializer(serializers.ModelSerializer):
    class Meta:
        model = SatisfactionResponse
        fields = ["id", "school", "kind", "score", "dismissed", "created_at"]
        read_only_fields = fields


class CsatDistributionSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    count = serializers.IntegerField()


class CsatSerializer(serializers.Serializer):
    responses = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True)
    distribution = CsatDistributionSerializer(many=True)


class NpsSerializer(serializers.Serializer):
    responses = serializers.IntegerField()
    score = serializers.FloatField(allow_null=True, help_text=_("% promoters − % detractors, −100 to 100."))
    promoters = serializers.IntegerField()
    passives = serializers.IntegerField()
    detractors = serializers.IntegerField()


class TrendSerializer(serializers.Serializer):
    month = serializers.CharField()
    csat_average = serializers.FloatField(allow_null=True)
    csat_responses = serializers.IntegerField()
    nps = serializers.FloatField(allow_null=True)
    nps_responses = serializers.IntegerField()


class SatisfactionResultsSerializer(serializers.Serializer):
    school = serializers.IntegerField()
    csat = CsatSerializer()
    nps = NpsSerializer()
    dismissed = serializers.IntegerField()
    trend = TrendSerializer(many=True)


class RiskFitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    fitted_at = serializers.DateTimeField()
    sample_size = serializers.IntegerField()
    positives = serializers.IntegerField()
    horizon_days = serializers.IntegerField()
    training_auc = serializers.FloatField(allow_null=True)
    intercept = serializers.FloatField()
    coefficients = serializers.DictField(child=serializers.FloatField(), source="coefficient_map")


class RiskFactorSerializer(serializers.Serializer):
    feature = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField()
    contribution = serializers.FloatField(help_text=_("coefficient × standardised value; positive raises the risk"))


class RiskUserSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    name = serializers.CharField()
    risk = serializers.FloatField(allow_null=True)
    inactive = serializers.BooleanField(help_text=_("No activity in the last 28 days: nothing to predict."))
    factors = RiskFactorSerializer(many=True)


class RiskReportSerializer(serializers.Serializer):
    school = serializers.IntegerField()
    fit = RiskFitSerializer(allow_null=True)
    notice = serializers.CharField()
    users = RiskUserSerializer(many=True)


class SchoolPolicySerializer(StrictModelSerializer):
    track_student_features = StrictBooleanField(required=False)

    class Meta:
        model = SchoolActivityPolicy
        fields = ["school", "retention_days", "track_student_features", "prompt_interval_days"]
        read_only_fields = ["school"]


KIND_CHOICES = ActivityKind.choices
