"""Filters for the incident lists."""

import django_filters

from config.api.filters import IdFilter, ScopedFilterSet, StrictBooleanFilter
from safety.models import GuardianNotice, Incident, IncidentAction


class IncidentFilter(ScopedFilterSet):
    pe_class = IdFilter(field_name="pe_class__id")
    activity = IdFilter(field_name="activity__id")
    session = IdFilter(field_name="session__id")
    student = IdFilter(field_name="students__student__id", distinct=True)
    date_after = django_filters.DateFilter(field_name="occurred_at__date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="occurred_at__date", lookup_expr="lte")

    class Meta:
        model = Incident
        fields = ["status", "kind", "severity", "space", "pe_class", "activity", "session", "student"]


class IncidentActionFilter(ScopedFilterSet):
    incident = IdFilter(field_name="incident__id")
    owner = IdFilter(field_name="owner__id")
    open = StrictBooleanFilter(field_name="completed_at", lookup_expr="isnull", label="Not completed yet")
    mine = StrictBooleanFilter(method="filter_mine", label="Only actions I own")

    class Meta:
        model = IncidentAction
        fields = ["incident", "owner", "open", "mine"]

    def filter_mine(self, queryset, name, value):
        if value:
            return queryset.filter(owner=self.request.user)
        return queryset


class GuardianNoticeFilter(ScopedFilterSet):
    incident = IdFilter(field_name="incident__id")
    student = IdFilter(field_name="student__id")
    sent = StrictBooleanFilter(field_name="sent_at", lookup_expr="isnull", exclude=True, label="Sent")

    class Meta:
        model = GuardianNotice
        fields = ["incident", "student", "sent"]
