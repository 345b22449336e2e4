"""Serializers: live panel, alerts, session risk scores and risk models. Output only, except the
refit body (strict: unknown keys are a 400)."""

import math

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import School
from config.api.serializers import StrictSerializer
from safety.models import RiskModel, SafetyAlert


class SafetyAlertSerializer(serializers.ModelSerializer):
    pe_class = serializers.IntegerField(source="session.pe_class_id", read_only=True)
    class_name = serializers.CharField(source="session.pe_class.name", read_only=True)
    date = serializers.DateField(source="session.date", read_only=True)
    acknowledged = serializers.SerializerMethodField()
    acknowledged_by_name = serializers.SerializerMethodField()

    class Meta:
        model = SafetyAlert
        fields = [
            "id",
            "session",
            "pe_class",
            "class_name",
            "date",
            "key",
            "kind",
            "level",
            "message",
            "created_at",
            "acknowledged",
            "acknowledged_by",
            "acknowledged_by_name",
            "acknowledged_at",
        ]
        read_only_fields = fields

    def get_acknowledged(self, obj) -> bool:
        return obj.acknowledged_at is not None

    def get_acknowledged_by_name(self, obj) -> str:
        return obj.acknowledged_by.get_full_name() if obj.acknowledged_by else ""


class RiskRateRatioSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    coefficient = serializers.FloatField()
    standard_error = serializers.FloatField(allow_null=True)
    rate_ratio = serializers.FloatField(help_text="exp(coefficient); for the intercept, incidents per 1,000 hours")
    low = serializers.FloatField(allow_null=True, help_text="95% interval, lower bound")
    high = serializers.FloatField(allow_null=True, help_text="95% interval, upper bound")
    prior_rate_ratio = serializers.FloatField()


class RiskModelSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, allow_null=True, help_text="null: the priors, never stored")
    fitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    rate_ratios = serializers.SerializerMethodField()

    class Meta:
        model = RiskModel
        fields = [
            "id",
            "school",
            "method",
            "coefficients",
            "standard_errors",
            "rate_ratios",
            "incidents",
            "exposure_hours",
            "sessions",
            "deviance",
            "details",
            "notes",
            "fitted_at",
        ]
        read_only_fields = fields

    def get_rate_ratios(self, obj) -> dict[str, float]:
        return {key: math.exp(value) for key, value in (obj.coefficients or {}).items() if key != "intercept"}


class RiskModelDetailSerializer(RiskModelSerializer):
    factors = serializers.SerializerMethodField()

    class Meta(RiskModelSerializer.Meta):
        fields = [*RiskModelSerializer.Meta.fields, "factors"]
        read_only_fields = fields

    @extend_schema_field(RiskRateRatioSerializer(many=True))
    def get_factors(self, obj):
        from safety.selectors.risk_scoring import model_rows

        return RiskRateRatioSerializer([row.__dict__ for row in model_rows(obj)], many=True).data


class RiskModelRefitSerializer(StrictSerializer):
    school = ScopedPrimaryKeyRelatedField(
        queryset=School.objects.all(), required=False, help_text="Default: the first school where you may refit"
    )


class RiskModelLatestQuerySerializer(serializers.Serializer):
    school = serializers.IntegerField(required=False, min_value=1)


class SessionRiskFactorSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    value = serializers.CharField()
    contribution = serializers.FloatField(help_text="Score points; baseline + sum of contributions = score")
    rate_ratio = serializers.FloatField()
    reason = serializers.CharField()


class SessionRiskSerializer(serializers.Serializer):
    session_id = serializers.IntegerField()
    score = serializers.FloatField()
    baseline = serializers.FloatField()
    band = serializers.CharField()
    band_label = serializers.CharField()
    band_action = serializers.CharField()
    expected_incidents = serializers.FloatField()
    rate_per_1000_hours = serializers.FloatField()
    relative_rate = serializers.FloatField()
    participation_hours = serializers.FloatField()
    participants = serializers.IntegerField()
    method = serializers.CharField()
    model_id = serializers.IntegerField(allow_null=True)
    factors = SessionRiskFactorSerializer(many=True)


# ---- the live panel (its JSON is ``safety.selectors.monitoring.panel_payload``) ---------------


class PanelStudentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class NeedConditionSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    severity = serializers.CharField()


class NeedMedicationSerializer(serializers.Serializer):
    name = serializers.CharField()
    schedule = serializers.CharField()
    location = serializers.CharField()


class NeedContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    relationship = serializers.CharField()
    phone = serializers.CharField()


class PanelNeedSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    name = serializers.CharField()
    alert_level = serializers.CharField()
    conditions = NeedConditionSerializer(many=True)
    instructions = serializers.ListField(child=serializers.CharField())
    medications = NeedMedicationSerializer(many=True)
    restrictions = serializers.ListField(child=serializers.CharField())
    contacts = NeedContactSerializer(many=True)


class PanelConflictSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    restriction = serializers.CharField()
    activity = serializers.IntegerField()
    activity_name = serializers.CharField()
    detail = serializers.CharField()


class PanelMeasureSerializer(serializers.Serializer):
    measure = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    unit = serializers.CharField()
    band = serializers.CharField()
    decision = serializers.CharField()


class PanelEnvironmentSerializer(serializers.Serializer):
    decision = serializers.CharField()
    stale = serializers.BooleanField()
    actions = serializers.ListField(child=serializers.CharField())
    reasons = serializers.ListField(child=serializers.CharField())
    reading = serializers.IntegerField(allow_null=True)
    recorded_at = serializers.DateTimeField(allow_null=True)
    measures = PanelMeasureSerializer(many=True)


class PanelEquipmentSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()
    severity = serializers.CharField()
    reason = serializers.CharField()
    activities = serializers.ListField(child=serializers.CharField())


class PanelIncidentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class PanelProtocolSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    checks = serializers.ListField(child=serializers.CharField())


class PanelSupervisionSerializer(serializers.Serializer):
    participants = serializers.IntegerField()
    adults = serializers.IntegerField()
    ratio = serializers.IntegerField(allow_null=True)
    exceeded = serializers.BooleanField()


class PanelRiskSerializer(serializers.Serializer):
    score = serializers.FloatField()
    band = serializers.CharField()
    expected_incidents = serializers.FloatField()
    method = serializers.CharField()


class PanelAlertSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    kind = serializers.CharField()
    level = serializers.CharField()
    message = serializers.CharField()
    acknowledged = serializers.BooleanField()


class LivePanelSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    pe_class = serializers.IntegerField()
    date = serializers.DateField()
    status = serializers.CharField()
    space = serializers.CharField()
    attendance_taken = serializers.BooleanField()
    students = PanelStudentSerializer(many=True)
    medical_visible = serializers.BooleanField()
    needs = PanelNeedSerializer(many=True)
    conflicts = PanelConflictSerializer(many=True)
    environment = PanelEnvironmentSerializer()
    equipment = PanelEquipmentSerializer(many=True)
    incidents = PanelIncidentSerializer(many=True)
    protocols = PanelProtocolSerializer(many=True)
    supervision = PanelSupervisionSerializer()
    risk = PanelRiskSerializer(allow_null=True)
    alerts = PanelAlertSerializer(many=True)
