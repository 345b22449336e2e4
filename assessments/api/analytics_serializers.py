"""Fitness analytics API: the query (filters) and the answer (the same numbers as the pages)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from physed.models import Term


class FitnessAnalyticsQuerySerializer(serializers.Serializer):
    """Filters; ``from``/``to`` are Python keywords, hence ``get_fields``. ``page`` etc. are ignored."""

    def get_fields(self):
        return {
            "from": serializers.DateField(required=False, help_text=_("First test date.")),
            "to": serializers.DateField(required=False, help_text=_("Last test date.")),
            "school_year": serializers.IntegerField(required=False, min_value=2000, max_value=2100),
            "term": serializers.ChoiceField(required=False, choices=Term.choices),
            "grade": serializers.IntegerField(required=False, min_value=0, max_value=12),
            "test": serializers.IntegerField(required=False, min_value=1, help_text=_("Only this fitness test.")),
            "pre_window": serializers.CharField(required=False, max_length=40, help_text=_("Pre-test window name.")),
            "post_window": serializers.CharField(required=False, max_length=40, help_text=_("Post-test window name.")),
        }

    def validate(self, attrs):
        if attrs.get("from") and attrs.get("to") and attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"to": [_("The end date is before the start date.")]})
        return attrs


class FitnessSchoolAnalyticsQuerySerializer(FitnessAnalyticsQuerySerializer):
    def get_fields(self):
        fields = super().get_fields()
        fields["school"] = serializers.IntegerField(
            required=False, min_value=1, help_text=_("The school (default: the user's first where permitted).")
        )
        return fields


class FitnessZoneCountsSerializer(serializers.Serializer):
    results = serializers.IntegerField()
    classified = serializers.IntegerField()
    hfz = serializers.IntegerField()
    ni = serializers.IntegerField()
    ni_hr = serializers.IntegerField()
    hfz_share = serializers.FloatField(allow_null=True)


class FitnessGradeZoneSerializer(FitnessZoneCountsSerializer):
    grade = serializers.IntegerField()


class FitnessTestZoneSerializer(FitnessZoneCountsSerializer):
    test = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    grades = FitnessGradeZoneSerializer(many=True)


class FitnessPrePostTestSerializer(serializers.Serializer):
    test = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    higher_is_better = serializers.BooleanField()
    students = serializers.IntegerField()
    mean_pre = serializers.FloatField()
    mean_post = serializers.FloatField()
    mean_change = serializers.FloatField()
    improved = serializers.IntegerField()
    improved_share = serializers.FloatField(allow_null=True)


class FitnessPrePostSerializer(serializers.Serializer):
    windows = serializers.ListField(child=serializers.CharField())
    pre = serializers.CharField(allow_blank=True)
    post = serializers.CharField(allow_blank=True)
    tests = FitnessPrePostTestSerializer(many=True)


class FitnessBinSerializer(serializers.Serializer):
    low = serializers.FloatField()
    high = serializers.FloatField()
    count = serializers.IntegerField()


class FitnessDistributionSerializer(serializers.Serializer):
    test = serializers.IntegerField(allow_null=True)
    code = serializers.CharField(required=False)
    name = serializers.CharField(required=False)
    unit = serializers.CharField(required=False)
    count = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True, required=False)
    histogram = FitnessBinSerializer(many=True)
    percentiles = serializers.DictField(child=serializers.FloatField(allow_null=True))


class PlainPointsListSerializer(serializers.ListSerializer):
    """The scatter points come from the selector as plain ``{"student": int, "attendance_rate":
    float, "value": float}`` dicts — already their JSON. A school has one point per student, and
    running every one through the field serializers was the part of the school endpoint that grew
    with the school (bench: fitness analytics). The schema still documents the child."""

    def to_representation(self, data):
        return list(data)


class FitnessScatterPointSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    attendance_rate = serializers.FloatField()
    value = serializers.FloatField()

    class Meta:
        list_serializer_class = PlainPointsListSerializer


class FitnessAttendanceVsPerformanceSerializer(serializers.Serializer):
    test = serializers.CharField(allow_null=True)
    test_name = serializers.CharField(required=False)
    students = serializers.IntegerField()
    pearson_r = serializers.FloatField(allow_null=True)
    points = FitnessScatterPointSerializer(many=True)


class FitnessAppliedFiltersSerializer(serializers.Serializer):
    def get_fields(self):
        return {
            "from": serializers.DateField(allow_null=True),
            "to": serializers.DateField(allow_null=True),
            "school_year": serializers.IntegerField(allow_null=True),
            "term": serializers.CharField(allow_blank=True),
            "grade": serializers.IntegerField(allow_null=True),
            "test": serializers.IntegerField(allow_null=True),
        }


class FitnessAnalyticsSerializer(serializers.Serializer):
    scope = serializers.CharField()
    school = serializers.IntegerField()
    pe_class = serializers.IntegerField(allow_null=True)
    filters = FitnessAppliedFiltersSerializer()
    body_composition = serializers.BooleanField(help_text=_("Whether body-composition tests are included."))
    hfz = FitnessTestZoneSerializer(many=True)
    prepost = FitnessPrePostSerializer()
    distribution = FitnessDistributionSerializer()
    attendance = FitnessAttendanceVsPerformanceSerializer()
