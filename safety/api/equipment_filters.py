"""Filter sets for equipment lists, shared by the API and the inventory page."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.api.filters import IdFilter, ScopedFilterSet, StrictBooleanFilter
from safety.models import CheckResult, EquipmentItem, EquipmentStatus, Inspection, InspectionKind, MaintenanceRecord
from safety.selectors import equipment as selectors


class EquipmentItemFilter(ScopedFilterSet):
    equipment_type = IdFilter(field_name="equipment_type__id", label=_("type"))
    location = django_filters.CharFilter(
        field_name="location", lookup_expr="iexact", max_length=120, label=_("location")
    )
    status = django_filters.ChoiceFilter(choices=EquipmentStatus.choices, label=_("status"))
    needs_attention = StrictBooleanFilter(method="filter_needs_attention", label=_("needs attention"))
    inspection_overdue = StrictBooleanFilter(method="filter_overdue", label=_("formal inspection overdue"))
    past_expected_life = StrictBooleanFilter(method="filter_past_life", label=_("past expected life"))

    class Meta:
        model = EquipmentItem
        fields = ["school", "equipment_type", "location", "status"]

    @staticmethod
    def _apply(queryset, query, value):
        if value is None:
            return queryset
        return queryset.filter(query) if value else queryset.exclude(query)

    def filter_needs_attention(self, queryset, name, value):
        return self._apply(queryset, selectors.needs_attention_q(), value)

    def filter_overdue(self, queryset, name, value):
        query = selectors.overdue_q() & ~Q(status=EquipmentStatus.RETIRED)
        return self._apply(queryset, query, value)

    def filter_past_life(self, queryset, name, value):
        return self._apply(queryset, selectors.past_life_q(), value)


class InspectionFilter(ScopedFilterSet):
    item = IdFilter(field_name="item__id", label=_("item"))
    kind = django_filters.ChoiceFilter(choices=InspectionKind.choices)
    outcome = django_filters.ChoiceFilter(choices=CheckResult.choices)
    date_from = django_filters.DateFilter(field_name="inspected_on", lookup_expr="gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="inspected_on", lookup_expr="lte", label=_("to"))

    class Meta:
        model = Inspection
        fields = ["item", "kind", "outcome", "inspected_on"]


class MaintenanceFilter(ScopedFilterSet):
    item = IdFilter(field_name="item__id", label=_("item"))
    date_from = django_filters.DateFilter(field_name="performed_on", lookup_expr="gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="performed_on", lookup_expr="lte", label=_("to"))

    class Meta:
        model = MaintenanceRecord
        fields = ["item", "kind", "performed_on", "returns_to_service"]
