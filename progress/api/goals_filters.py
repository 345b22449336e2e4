"""Filter sets for goals and progress entries (API and pages)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.api.filters import IdFilter, ScopedFilterSet
from progress.models import EntrySource, Goal, GoalStatus, ProgressEntry


class GoalFilter(ScopedFilterSet):
    student = IdFilter(field_name="student__id", label=_("student"))
    pe_class = IdFilter(field_name="pe_class__id", label=_("class"))
    status = django_filters.ChoiceFilter(choices=GoalStatus.choices, label=_("status"))
    metric_key = django_filters.CharFilter(field_name="metric_key", max_length=60, label=_("metric"))
    due_before = django_filters.DateFilter(field_name="deadline", lookup_expr="lte", label=_("due on or before"))
    for_student = IdFilter(method="filter_for_student", label=_("the student's own goals and their classes' goals"))

    class Meta:
        model = Goal
        fields = ["school", "student", "pe_class", "status", "metric_key"]

    def filter_for_student(self, queryset, name, value):
        from progress.selectors.goals import _class_ids_of

        if value is None:
            return queryset
        return queryset.filter(Q(student_id=value) | Q(pe_class_id__in=_class_ids_of([value])))


class ProgressEntryFilter(ScopedFilterSet):
    student = IdFilter(field_name="student__id", label=_("student"))
    metric_key = django_filters.CharFilter(field_name="metric_key", max_length=60, label=_("metric"))
    source = django_filters.ChoiceFilter(choices=EntrySource.choices, label=_("source"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to"))

    class Meta:
        model = ProgressEntry
        fields = ["school", "student", "metric_key", "source"]
