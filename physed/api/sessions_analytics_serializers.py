"""Response shapes of the analytics endpoints (documented in the OpenAPI schema)."""

from rest_framework import serializers

from physed.models import AttendanceStatus


def _status_counts():
    return serializers.DictField(child=serializers.IntegerField(), help_text="{status: count}")


class WeekSerializer(serializers.Serializer):
    week_start = serializers.DateField()
    sessions = serializers.IntegerField()
    participated = serializers.IntegerField()
    participation_rate = serializers.FloatField(allow_null=True)


class StudentAttendanceSummarySerializer(serializers.Serializer):
    student = serializers.IntegerField()
    total = serializers.IntegerField()
    counts = _status_counts()
    rates = serializers.DictField(child=serializers.FloatField(allow_null=True))
    participation_rate = serializers.FloatField(allow_null=True)
    attendance_rate = serializers.FloatField(allow_null=True)
    minutes_late = serializers.IntegerField()
    current_streak = serializers.IntegerField()
    longest_streak = serializers.IntegerField()
    current_absence_streak = serializers.IntegerField()
    threshold = serializers.FloatField()
    below_threshold = serializers.BooleanField()
    last_date = serializers.DateField(allow_null=True)
    weeks = WeekSerializer(many=True)


class ClassSessionRateSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    date = serializers.DateField()
    recorded = serializers.IntegerField()
    participating = serializers.IntegerField()
    on_site = serializers.IntegerField()
    participation_rate = serializers.FloatField(allow_null=True)


class ClassStudentRateSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    name = serializers.CharField()
    sessions = serializers.IntegerField()
    participated = serializers.IntegerField()
    participation_rate = serializers.FloatField(allow_null=True)


class ClassAttendanceSummarySerializer(serializers.Serializer):
    pe_class = serializers.IntegerField()
    total = serializers.IntegerField()
    counts = _status_counts()
    participation_rate = serializers.FloatField(allow_null=True)
    attendance_rate = serializers.FloatField(allow_null=True)
    threshold = serializers.FloatField()
    sessions = ClassSessionRateSerializer(many=True)
    students = ClassStudentRateSerializer(many=True)
    below_threshold = ClassStudentRateSerializer(many=True)


class MetricRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    higher_is_better = serializers.BooleanField()


class TrendPointSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    date = serializers.DateField()
    pe_class = serializers.CharField()
    value = serializers.FloatField()


class RecordedMetricSerializer(serializers.Serializer):
    metric = MetricRefSerializer()
    results = serializers.IntegerField()


DIRECTIONS = ["improving", "declining", "steady", "insufficient_data"]


class StudentPerformanceSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    metric = MetricRefSerializer(allow_null=True)
    metrics = RecordedMetricSerializer(many=True, help_text="Every metric recorded for the student, most first.")
    points = TrendPointSerializer(many=True)
    n = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    best = serializers.FloatField(allow_null=True)
    first = serializers.FloatField(allow_null=True)
    latest = serializers.FloatField(allow_null=True)
    slope_per_week = serializers.FloatField(allow_null=True)
    improvement_per_week = serializers.FloatField(allow_null=True)
    r2 = serializers.FloatField(allow_null=True)
    direction = serializers.ChoiceField(choices=DIRECTIONS)


class DistributionSerializer(serializers.Serializer):
    n = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    q1 = serializers.FloatField(allow_null=True)
    q3 = serializers.FloatField(allow_null=True)
    min = serializers.FloatField(allow_null=True)
    max = serializers.FloatField(allow_null=True)


class BinSerializer(serializers.Serializer):
    low = serializers.FloatField()
    high = serializers.FloatField()
    count = serializers.IntegerField()


class SessionMeanSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    date = serializers.DateField()
    n = serializers.IntegerField()
    mean = serializers.FloatField()


class ClassPerformanceSerializer(serializers.Serializer):
    pe_class = serializers.IntegerField()
    metric = MetricRefSerializer()
    distribution = DistributionSerializer()
    histogram = BinSerializer(many=True)
    over_time = SessionMeanSerializer(many=True)
    slope_per_week = serializers.FloatField(allow_null=True)
    improvement_per_week = serializers.FloatField(allow_null=True)
    direction = serializers.ChoiceField(choices=DIRECTIONS)


class MetricQuerySerializer(serializers.Serializer):
    metric = serializers.CharField(required=False, max_length=40, help_text="Metric code (or id).")
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


STATUS_CHOICES = AttendanceStatus.choices
