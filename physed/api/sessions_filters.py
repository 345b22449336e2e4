"""Filter sets for the sessions API lists."""

import django_filters
from django.db.models import Q

from config.api.filters import IdFilter, ScopedFilterSet, StrictBooleanFilter
from physed.models import AttendanceRecord, ClassSession, MetricType, PerformanceResult


class ClassSessionFilter(ScopedFilterSet):
    pe_class = IdFilter(field_name="pe_class__id")
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = ClassSession
        fields = ["pe_class", "status", "date", "date_after", "date_before"]


class AttendanceRecordFilter(ScopedFilterSet):
    session = IdFilter(field_name="session__id")
    student = IdFilter(field_name="student__id")
    pe_class = IdFilter(field_name="session__pe_class__id")
    date_after = django_filters.DateFilter(field_name="session__date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="session__date", lookup_expr="lte")

    class Meta:
        model = AttendanceRecord
        fields = ["session", "student", "pe_class", "status", "date_after", "date_before"]


class PerformanceResultFilter(ScopedFilterSet):
    session = IdFilter(field_name="session__id")
    student = IdFilter(field_name="student__id")
    metric = IdFilter(field_name="metric__id")
    metric_code = django_filters.CharFilter(field_name="metric__code")
    pe_class = IdFilter(field_name="session__pe_class__id")
    date_after = django_filters.DateFilter(field_name="session__date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="session__date", lookup_expr="lte")

    class Meta:
        model = PerformanceResult
        fields = ["session", "student", "metric", "metric_code", "pe_class", "date_after", "date_before"]


class MetricTypeFilter(ScopedFilterSet):
    school = IdFilter(field_name="school__id")
    shipped = StrictBooleanFilter(method="filter_shipped")

    class Meta:
        model = MetricType
        fields = ["school", "code", "value_kind", "fitness_component", "higher_is_better", "shipped"]

    def filter_shipped(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Q(school__isnull=True) if value else Q(school__isnull=False))
