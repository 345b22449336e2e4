"""Serializers for environment readings, status, "what if" evaluation, rule sets and the school's
safety settings. Parse and validate shapes only; ranges and rules are the services' job."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import School
from config.api.serializers import StrictBooleanField, StrictModelSerializer, StrictSerializer
from physed.models import Space
from safety.engines import weather
from safety.models import EnvironmentReading, EnvironmentRuleSet, SafetySettings
from safety.services import environment as services

UNITS = [("C", "°C"), ("F", "°F")]
WIND_UNITS = [("kmh", "km/h"), ("mph", "mph")]


def _f(value):
    return None if value is None else round(weather.c_to_f(float(value)), 1)


class EnvironmentReadingSerializer(serializers.ModelSerializer):
    temperature_c = serializers.FloatField()
    relative_humidity = serializers.FloatField(allow_null=True)
    wind_speed_kmh = serializers.FloatField(allow_null=True)
    wbgt_c = serializers.FloatField(allow_null=True)
    heat_index_c = serializers.FloatField(allow_null=True)
    wind_chill_c = serializers.FloatField(allow_null=True)
    temperature_f = serializers.SerializerMethodField()
    wbgt_f = serializers.SerializerMethodField()
    heat_index_f = serializers.SerializerMethodField()
    wind_chill_f = serializers.SerializerMethodField()

    class Meta:
        model = EnvironmentReading
        fields = [
            "id",
            "school",
            "recorded_at",
            "space",
            "location",
            "source",
            "provider",
            "temperature_c",
            "temperature_f",
            "relative_humidity",
            "wind_speed_kmh",
            "wbgt_c",
            "wbgt_f",
            "aqi",
            "precipitation",
            "lightning",
            "heat_index_c",
            "heat_index_f",
            "wind_chill_c",
            "wind_chill_f",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_temperature_f(self, reading) -> float:
        return _f(reading.temperature_c)

    def get_wbgt_f(self, reading) -> float | None:
        return _f(reading.wbgt_c)

    def get_heat_index_f(self, reading) -> float | None:
        return _f(reading.heat_index_c)

    def get_wind_chill_f(self, reading) -> float | None:
        return _f(reading.wind_chill_c)


def _bounds(name: str, convert=None) -> dict:
    """``min_value``/``max_value`` of a measure's physical range (``services.RANGES``, in SI units).
    With ``convert`` (SI to the other unit a client may use), the widest bounds over both units:
    the range in the unit actually given is checked by the service."""
    low, high, _unit = services.RANGES[name]
    if convert is not None:
        low, high = min(low, convert(low)), max(high, convert(high))
    return {"min_value": low, "max_value": high}


class _ValuesSerializer(StrictSerializer):
    """What a user measured, in their units (converted to °C and km/h by the service helpers)."""

    space = serializers.ChoiceField(choices=Space.choices, default=Space.FIELD)
    temperature = serializers.FloatField(
        help_text=_("Air temperature in temperature_unit: -60 to 60 °C (-76 to 140 °F)."),
        **_bounds("temperature_c", weather.c_to_f),
    )
    temperature_unit = serializers.ChoiceField(choices=UNITS, default="C")
    relative_humidity = serializers.FloatField(
        required=False, allow_null=True, help_text="%", **_bounds("relative_humidity")
    )
    wind_speed = serializers.FloatField(
        required=False,
        allow_null=True,
        help_text=_("In wind_unit: 0 to 250 km/h (about 155 mph)."),
        **_bounds("wind_speed_kmh"),
    )
    wind_unit = serializers.ChoiceField(choices=WIND_UNITS, default="kmh")
    wbgt = serializers.FloatField(
        required=False,
        allow_null=True,
        help_text=_("Measured WBGT, in temperature_unit (never estimated): -30 to 50 °C (-22 to 122 °F)."),
        **_bounds("wbgt_c", weather.c_to_f),
    )
    aqi = serializers.IntegerField(required=False, allow_null=True, **_bounds("aqi"))
    precipitation = StrictBooleanField(default=False)
    lightning = StrictBooleanField(default=False)


class EnvironmentReadingCreateSerializer(_ValuesSerializer):
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all(), required=False)
    recorded_at = serializers.DateTimeField(required=False, help_text=_("Default now; not in the future."))
    location = serializers.CharField(required=False, allow_blank=True, max_length=120)


class EvaluateSerializer(_ValuesSerializer):
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all(), required=False)
    rule_set = ScopedPrimaryKeyRelatedField(
        queryset=EnvironmentRuleSet.objects.all(), required=False, help_text=_("Default: the school's rule set.")
    )


class StatusQuerySerializer(serializers.Serializer):
    space = serializers.ChoiceField(choices=Space.choices, required=False)
    school = serializers.IntegerField(required=False, min_value=1)


class MeasureResultSerializer(serializers.Serializer):
    measure = serializers.CharField()
    name = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    unit = serializers.CharField()
    band_label = serializers.CharField()
    decision = serializers.CharField()
    actions = serializers.ListField(child=serializers.CharField())
    source = serializers.CharField()
    note = serializers.CharField()


class RuleSetBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = EnvironmentRuleSet
        fields = ["id", "code", "name", "school"]


class EnvironmentStatusSerializer(serializers.Serializer):
    school = serializers.IntegerField()
    space = serializers.CharField()
    decision = serializers.CharField()
    stale = serializers.BooleanField()
    reading = EnvironmentReadingSerializer(allow_null=True)
    rule_set = RuleSetBriefSerializer(allow_null=True)
    measures = MeasureResultSerializer(many=True)
    actions = serializers.ListField(child=serializers.CharField())
    reasons = serializers.ListField(child=serializers.CharField())
    values = serializers.DictField(child=serializers.FloatField(allow_null=True))


@extend_schema_field({"type": "object", "additionalProperties": True})
class RulesField(serializers.JSONField):
    pass


class EnvironmentRuleSetSerializer(serializers.ModelSerializer):
    is_shipped = serializers.BooleanField(read_only=True)
    rules = RulesField()

    class Meta:
        model = EnvironmentRuleSet
        fields = [
            "id",
            "school",
            "code",
            "name",
            "region",
            "description",
            "rules",
            "sources",
            "caveats",
            "version",
            "based_on",
            "is_shipped",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EnvironmentRuleSetWriteSerializer(StrictModelSerializer):
    rules = RulesField()
    sources = serializers.JSONField(required=False)
    caveats = serializers.JSONField(required=False)

    class Meta:
        model = EnvironmentRuleSet
        fields = ["name", "region", "description", "rules", "sources", "caveats"]


class EnvironmentRuleSetCreateSerializer(EnvironmentRuleSetWriteSerializer):
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all(), required=False)

    class Meta(EnvironmentRuleSetWriteSerializer.Meta):
        fields = ["school", *EnvironmentRuleSetWriteSerializer.Meta.fields]


class RuleSetCopySerializer(StrictSerializer):
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all(), required=False)
    name = serializers.CharField(required=False, allow_blank=True, max_length=160)


class SafetySettingsSerializer(StrictModelSerializer):
    rule_set = ScopedPrimaryKeyRelatedField(queryset=EnvironmentRuleSet.objects.all(), required=False, allow_null=True)
    rule_set_name = serializers.SerializerMethodField()

    class Meta:
        model = SafetySettings
        fields = [
            "id",
            "school",
            "rule_set",
            "rule_set_name",
            "reading_max_age_minutes",
            "default_supervision_ratio",
            "updated_at",
        ]
        read_only_fields = ["id", "school", "rule_set_name", "updated_at"]

    def get_rule_set_name(self, obj) -> str:
        # "" when the school uses the shipped default rule set (a dotted source with a default
        # leaves the key out of the answer when ``rule_set`` is null)
        return obj.rule_set.name if obj.rule_set_id else ""
