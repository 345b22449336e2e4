"""Serializers for fitness tests, standard sets and bands, school fitness settings, test events
and results. Parse and shape only; the rules live in ``assessments.services.fitness``."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from assessments.models import (
    FitnessResult,
    FitnessTest,
    SchoolFitnessSettings,
    StandardBand,
    StandardSet,
    TestEvent,
    TestEventStatus,
)
from assessments.models.fitness import Zone
from config.api.serializers import StrictBooleanField, StrictDecimalField, StrictModelSerializer, StrictSerializer
from physed.models import PEClass, Student


class FitnessTestSerializer(StrictModelSerializer):
    shipped = serializers.SerializerMethodField()
    active = StrictBooleanField(required=False)
    higher_is_better = StrictBooleanField(required=False)
    # the plausible range is text, as the schema says: a JSON number is refused, not rounded
    serializer_field_mapping = {
        **StrictModelSerializer.serializer_field_mapping,
        models.DecimalField: StrictDecimalField,
    }

    class Meta:
        model = FitnessTest
        fields = [
            "id",
            "school",
            "shipped",
            "code",
            "name",
            "component",
            "unit",
            "higher_is_better",
            "decimal_places",
            "plausible_min",
            "plausible_max",
            "standard_measure",
            "scoring",
            "is_body_composition",
            "position",
            "description",
            "active",
        ]
        read_only_fields = ["school", "standard_measure", "scoring", "is_body_composition"]
        validators = []  # codes unique per school: checked by the service

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["code"].read_only = True
        return fields

    def get_shipped(self, obj) -> bool:
        return obj.school_id is None


class StandardSetSerializer(serializers.ModelSerializer):
    shipped = serializers.SerializerMethodField()
    band_count = serializers.SerializerMethodField()

    class Meta:
        model = StandardSet
        fields = [
            "id",
            "school",
            "shipped",
            "code",
            "name",
            "version",
            "source",
            "effective_from",
            "effective_to",
            "notes",
            "band_count",
        ]
        read_only_fields = fields

    def get_shipped(self, obj) -> bool:
        return obj.school_id is None

    def get_band_count(self, obj) -> int:
        count = getattr(obj, "band_total", None)
        return count if count is not None else obj.bands.count()


class StandardBandSerializer(serializers.ModelSerializer):
    sex = serializers.CharField(read_only=True, help_text=_("F (girls) or M (boys)"))

    class Meta:
        model = StandardBand
        fields = ["id", "measure", "sex", "age_from", "age_to", "zone", "lower", "upper", "unit", "source_note"]
        read_only_fields = fields


class FitnessSettingsSerializer(StrictModelSerializer):
    standard_set = ScopedPrimaryKeyRelatedField(queryset=StandardSet.objects.all(), required=False)
    standard_set_name = serializers.CharField(source="standard_set.__str__", read_only=True, default="")
    record_body_composition = StrictBooleanField(required=False)

    class Meta:
        model = SchoolFitnessSettings
        fields = ["school", "standard_set", "standard_set_name", "record_body_composition", "updated_at"]
        read_only_fields = ["school", "updated_at"]


class TestEventSerializer(StrictModelSerializer):
    __test__ = False

    pe_class = ScopedPrimaryKeyRelatedField(queryset=PEClass.objects.all())
    pe_class_name = serializers.CharField(source="pe_class.name", read_only=True)
    tests = ScopedPrimaryKeyRelatedField(queryset=FitnessTest.objects.all(), many=True, allow_empty=False)
    status = serializers.ChoiceField(choices=TestEventStatus.choices, required=False)
    result_count = serializers.SerializerMethodField()

    class Meta:
        model = TestEvent
        fields = [
            "id",
            "pe_class",
            "pe_class_name",
            "name",
            "window",
            "date",
            "tests",
            "status",
            "notes",
            "result_count",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["pe_class"].read_only = True
        return fields

    def get_result_count(self, obj) -> int:
        count = getattr(obj, "result_total", None)
        return count if count is not None else obj.results.count()


@extend_schema_field(
    {
        "oneOf": [{"type": "number"}, {"type": "string"}],
        "nullable": True,
        "description": "A number, numeric text or mm:ss for timed tests; null or empty removes the result.",
    }
)
class FitnessValueField(serializers.Field):
    def to_internal_value(self, data):
        if data is None or isinstance(data, str):
            return data
        if isinstance(data, bool) or not isinstance(data, int | float):
            raise serializers.ValidationError(_("Enter a number or mm:ss."))
        return Decimal(str(data))

    def to_representation(self, value):
        return value


class FitnessResultEntrySerializer(StrictSerializer):
    student = ScopedPrimaryKeyRelatedField(queryset=Student.objects.all())
    test = ScopedPrimaryKeyRelatedField(queryset=FitnessTest.objects.all())
    value = FitnessValueField(allow_null=True)
    heart_rate = serializers.IntegerField(min_value=30, max_value=250, required=False, allow_null=True)
    weight_kg = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("10"),
        max_value=Decimal("250"),
        required=False,
        allow_null=True,
    )
    height_cm = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("80"),
        max_value=Decimal("230"),
        required=False,
        allow_null=True,
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class BulkResultsSerializer(StrictSerializer):
    results = FitnessResultEntrySerializer(many=True, allow_empty=False, max_length=2000)


class BulkResultsResponseSerializer(serializers.Serializer):
    saved = serializers.IntegerField()
    removed = serializers.IntegerField()


class FitnessResultSerializer(serializers.ModelSerializer):
    test_code = serializers.CharField(source="test.code", read_only=True)
    test_name = serializers.CharField(source="test.name", read_only=True)
    unit = serializers.CharField(source="test.unit", read_only=True)
    student_name = serializers.CharField(source="student.__str__", read_only=True)
    date = serializers.DateField(source="event.date", read_only=True)
    zone_display = serializers.CharField(source="get_zone_display", read_only=True)
    # empty until the result is classified (no standard for the test, age or sex)
    zone = serializers.ChoiceField(choices=Zone.choices, allow_blank=True, read_only=True)

    class Meta:
        model = FitnessResult
        fields = [
            "id",
            "event",
            "date",
            "student",
            "student_name",
            "test",
            "test_code",
            "test_name",
            "unit",
            "value",
            "age_at_test",
            "zone",
            "zone_display",
            "estimated_vo2max",
            "standard_set",
            "classification_note",
            "heart_rate",
            "weight_kg",
            "height_cm",
            "note",
            "recorded_at",
        ]
        read_only_fields = fields
