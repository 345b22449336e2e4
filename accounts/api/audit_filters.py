"""Who may read which audit rows, and the filters shared by the audit API, its CSV export and the
audit page (one FilterSet, so the page's CSV link carries exactly the filters the page shows).

Visibility (the same for API and page):

* platform auditors — active superusers, and platform staff (``is_staff``) who hold the Django
  model permission ``accounts.view_auditevent`` (the rule the Django admin applies) — see every row,
  including rows without a school (failed sign-ins of unknown emails, purges);
* everybody else sees rows of the schools where a current role grants ``accounts.view_auditevent``
  (school admins). Another school's row is a 404 on the detail route, like every scoped object.
"""

import re
from datetime import UTC, date, datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework.filters import OrderingFilter

from accounts.models import AuditEvent
from accounts.selectors import has_perm_in_any_school, schools_where
from config.api.filters import IdFilter, ScopedFilterSet

AUDIT_VIEW_PERM = "accounts.view_auditevent"
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def is_platform_auditor(user) -> bool:
    """Platform operators who may read every school's audit rows."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or (user.is_staff and user.has_perm(AUDIT_VIEW_PERM))


def can_view_audit_log(user) -> bool:
    """May open the audit list at all (platform auditor, or the permission in some school)."""
    return is_platform_auditor(user) or has_perm_in_any_school(user, AUDIT_VIEW_PERM)


def permitted_school_ids(user) -> list[int]:
    """Schools whose audit rows the user may list (empty for platform auditors: they see all)."""
    return schools_where(user, AUDIT_VIEW_PERM)


def audit_events_for_listing(user, queryset=None):
    """The rows a list, page or export may show to ``user``."""
    queryset = AuditEvent.objects.select_related("actor") if queryset is None else queryset
    if is_platform_auditor(user):
        return queryset
    if not can_view_audit_log(user):
        return queryset.none()
    return queryset.visible_to(user).filter(school__in=permitted_school_ids(user))


# --- filters ---------------------------------------------------------------------------------


class DateOrDateTimeField(forms.Field):
    """An ISO 8601 date (``2024-09-01``) or date-time (``2024-09-01T08:00:00Z``); a naive
    date-time is read in the current time zone."""

    default_error_messages = {
        "invalid": _("Enter an ISO 8601 date (2024-09-01) or date-time (2024-09-01T08:00:00Z)."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        # RFC 3339 allows a lower-case "t" and "z", which Django's parser does not read
        text = str(value).strip().upper()
        try:
            # a bare date first: parse_datetime would read "2024-09-01" as midnight
            parsed = parse_date(text) if _DATE_ONLY.match(text) else parse_datetime(text)
        except ValueError:  # well formed but impossible, e.g. 2024-02-30
            parsed = None
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if isinstance(parsed, datetime) and timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed, timezone.get_current_timezone())
        return parsed


class DateOrDateTimeBoundFilter(django_filters.Filter):
    """One end of a time range. ``end=False``: at or after the value; ``end=True``: before it.
    A date alone covers the whole day at both ends, so ``from 2024-09-01 until 2024-09-30``
    includes all of September."""

    field_class = DateOrDateTimeField

    def __init__(self, *args, end: bool = False, **kwargs):
        self.end = end
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        if isinstance(value, datetime):
            # RFC 3339 allows offsets up to ±23:59, PostgreSQL only ±15:59: compare in UTC
            bound = value.astimezone(UTC)
        else:
            day = value + timedelta(days=1) if self.end else value
            bound = timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())
        return qs.filter(**{f"{self.field_name}__{'lt' if self.end else 'gte'}": bound})


def _time_bound_schema(description: str):
    # what DateOrDateTimeField reads: an RFC 3339 date-time or a full date, nothing else
    return extend_schema_field(
        {
            "anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}],
            "description": description,
            "example": "2024-09-01T08:00:00Z",
        }
    )


class AuditEventFilter(ScopedFilterSet):
    actor = IdFilter(field_name="actor__id", label=_("Actor (user id)"))
    actor_email = django_filters.CharFilter(
        field_name="actor__email", lookup_expr="iexact", label=_("Actor email"), max_length=254
    )
    action = django_filters.CharFilter(field_name="action", label=_("Action"), max_length=64)
    action__startswith = django_filters.CharFilter(
        field_name="action", lookup_expr="startswith", label=_("Action starts with"), max_length=64
    )
    target_type = django_filters.CharFilter(field_name="target_type", label=_("Target type"), max_length=100)
    target_id = django_filters.CharFilter(field_name="target_id", label=_("Target id"), max_length=64)
    request_id = django_filters.CharFilter(field_name="request_id", label=_("Request id"), max_length=64)
    school = IdFilter(field_name="school__id", label=_("School (id)"))
    occurred_after = _time_bound_schema(
        "At or after this ISO 8601 date-time (2024-09-01T08:00:00Z) or date (2024-09-01: from its start)."
    )(DateOrDateTimeBoundFilter(field_name="occurred_at", label=_("From")))
    occurred_before = _time_bound_schema(
        "Before this ISO 8601 date-time (2024-09-01T08:00:00Z), or up to the end of this date (2024-09-30)."
    )(DateOrDateTimeBoundFilter(field_name="occurred_at", end=True, label=_("Until")))

    class Meta:
        model = AuditEvent
        fields: list[str] = []


class StableOrderingFilter(OrderingFilter):
    """Any requested order gets ``-id`` as the last key, so equal values never make a row appear
    on two pages or on none."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not any(term.lstrip("-") in ("id", "pk") for term in ordering):
            ordering.append("-id")
        return ordering
