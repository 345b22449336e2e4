"""Filter sets for rubric and skill-assessment lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models import AssessmentMode, Rubric, SkillAssessment
from config.api.filters import IdFilter, ScopedFilterSet, StrictBooleanFilter


class RubricFilter(ScopedFilterSet):
    shared = StrictBooleanFilter(label=_("school templates"))
    archived = StrictBooleanFilter(label=_("archived"))
    mine = StrictBooleanFilter(method="filter_mine", label=_("my own rubrics"))
    q = django_filters.CharFilter(method="filter_q", max_length=100, label=_("search"))

    class Meta:
        model = Rubric
        fields = ["school", "shared", "archived", "activity"]

    def filter_mine(self, queryset, name, value):
        if value is None:
            return queryset
        user = self.request.user
        return queryset.filter(owner=user) if value else queryset.exclude(owner=user)

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value)) if value else queryset


class SkillAssessmentFilter(ScopedFilterSet):
    student = IdFilter(field_name="student__id", label=_("student"))
    pe_class = IdFilter(field_name="pe_class__id", label=_("class"))
    rubric = IdFilter(field_name="rubric__id", label=_("rubric"))
    session = IdFilter(field_name="session__id", label=_("session"))
    mode = django_filters.ChoiceFilter(choices=AssessmentMode.choices, label=_("mode"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to"))

    class Meta:
        model = SkillAssessment
        fields = ["student", "pe_class", "rubric", "session", "mode"]
