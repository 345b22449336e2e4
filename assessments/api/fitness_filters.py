"""Filter sets for fitness lists (API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from assessments.models import FitnessResult, FitnessTest, TestComponent, TestEvent, TestEventStatus, Zone
from config.api.filters import IdFilter, ScopedFilterSet


class FitnessTestFilter(ScopedFilterSet):
    component = django_filters.ChoiceFilter(choices=TestComponent.choices)

    class Meta:
        model = FitnessTest
        fields = ["component", "active", "is_body_composition"]


class TestEventFilter(ScopedFilterSet):
    __test__ = False

    pe_class = IdFilter(field_name="pe_class__id", label=_("class"))
    status = django_filters.ChoiceFilter(choices=TestEventStatus.choices)
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to"))

    class Meta:
        model = TestEvent
        fields = ["pe_class", "status", "window"]


class FitnessResultFilter(ScopedFilterSet):
    student = IdFilter(field_name="student__id", label=_("student"))
    test = IdFilter(field_name="test__id", label=_("test"))
    test_code = django_filters.CharFilter(field_name="test__code", max_length=40, label=_("test code"))
    event = IdFilter(field_name="event__id", label=_("test event"))
    zone = django_filters.ChoiceFilter(choices=Zone.choices)
    date_from = django_filters.DateFilter(field_name="event__date", lookup_expr="gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="event__date", lookup_expr="lte", label=_("to"))

    class Meta:
        model = FitnessResult
        fields = ["student", "test", "event", "zone"]
