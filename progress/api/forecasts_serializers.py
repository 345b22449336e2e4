"""Forecast API answers: one goal's forecast; a class's goal forecasts and at-risk students."""

from rest_framework import serializers


class ForecastSeriesPointSerializer(serializers.Serializer):
    date = serializers.DateField()
    value = serializers.FloatField()


class GoalForecastSerializer(serializers.Serializer):
    goal = serializers.IntegerField()
    metric_key = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    target = serializers.FloatField()
    deadline = serializers.DateField()
    higher_is_better = serializers.BooleanField()
    points = serializers.IntegerField()
    series = ForecastSeriesPointSerializer(many=True)
    available = serializers.BooleanField(help_text="False with fewer than 3 results (the reason says why).")
    reason = serializers.CharField(allow_blank=True)
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Explanation lines.")
    slope_per_week = serializers.FloatField(required=False)
    projected = serializers.FloatField(required=False)
    interval_80 = serializers.ListField(child=serializers.FloatField(), required=False)
    interval_95 = serializers.ListField(child=serializers.FloatField(), required=False)
    se_prediction = serializers.FloatField(required=False)
    degrees_of_freedom = serializers.IntegerField(required=False)
    r_squared = serializers.FloatField(required=False)
    probability = serializers.FloatField(required=False)
    on_track = serializers.BooleanField(required=False)


class ClassGoalForecastSerializer(GoalForecastSerializer):
    title = serializers.CharField()
    student = serializers.IntegerField(allow_null=True)
    student_name = serializers.CharField(allow_blank=True)
    class_goal = serializers.BooleanField()


class RiskReasonSerializer(serializers.Serializer):
    rule = serializers.CharField()
    message = serializers.CharField()
    numbers = serializers.SerializerMethodField()

    def get_numbers(self, obj) -> dict:
        return {key: value for key, value in obj.items() if key not in ("rule", "message")}


class AtRiskStudentSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    name = serializers.CharField()
    reasons = RiskReasonSerializer(many=True)


class ClassForecastsSerializer(serializers.Serializer):
    pe_class = serializers.IntegerField()
    today = serializers.DateField()
    students = serializers.IntegerField()
    goals = ClassGoalForecastSerializer(many=True)
    at_risk = AtRiskStudentSerializer(many=True)
