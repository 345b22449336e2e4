"""Attendance records and performance results (read; written in bulk through the session
endpoints) and the metric type registry (shipped rows read-only, a school's own rows CRUD)."""

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied

from accounts.api.base import ScopedModelViewSet, ScopedReadOnlyViewSet, call_service, required_permission
from accounts.selectors import schools_where
from physed.api.fields import update_body_schema
from physed.api.sessions_filters import AttendanceRecordFilter, MetricTypeFilter, PerformanceResultFilter
from physed.api.sessions_serializers import (
    AttendanceRecordSerializer,
    MetricTypeSerializer,
    PerformanceResultSerializer,
)
from physed.models import AttendanceRecord, MetricType, PerformanceResult
from physed.services import results as results_service


@extend_schema(tags=["physed-sessions"])
class AttendanceRecordViewSet(ScopedReadOnlyViewSet):
    """Attendance rows (one per student and session); filter by class, session, student, status, dates."""

    queryset = AttendanceRecord.objects.select_related("session", "student")
    serializer_class = AttendanceRecordSerializer
    filterset_class = AttendanceRecordFilter
    personal_data = True
    search_fields = ["student__first_name", "student__last_name", "student__preferred_name", "note"]
    ordering_fields = ["session__date", "status", "recorded_at", "student__last_name"]
    ordering = ["-session__date", "student__last_name", "student__first_name", "pk"]


@extend_schema(tags=["physed-sessions"])
class PerformanceResultViewSet(ScopedReadOnlyViewSet):
    """Performance results; filter by student, metric (id or code), class, session and dates."""

    queryset = PerformanceResult.objects.select_related("session", "student", "metric")
    serializer_class = PerformanceResultSerializer
    filterset_class = PerformanceResultFilter
    personal_data = True
    search_fields = ["student__first_name", "student__last_name", "metric__code", "metric__name"]
    ordering_fields = ["session__date", "value", "recorded_at", "student__last_name"]
    ordering = ["-session__date", "student__last_name", "metric__code", "pk"]


@extend_schema(tags=["physed-sessions"])
@update_body_schema(MetricTypeSerializer, "school")
class MetricTypeViewSet(ScopedModelViewSet):
    """The typed metric registry: shipped metrics (``is_shipped``, read-only) and the school's own."""

    queryset = MetricType.objects.select_related("school")
    serializer_class = MetricTypeSerializer
    filterset_class = MetricTypeFilter
    search_fields = ["code", "name", "description"]
    ordering_fields = ["name", "code"]
    ordering = ["name", "pk"]

    def restrict_to_permitted_schools(self, queryset):
        user = self.request.user
        if user.is_superuser:
            return queryset
        perm = required_permission(self, self.request)
        return queryset.filter(Q(school__isnull=True) | Q(school__in=schools_where(user, perm)))

    def check_object_permissions(self, request, obj):
        if obj.school_id is None:
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                raise PermissionDenied(_("Shipped metrics are read-only."))
            return
        super().check_object_permissions(request, obj)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        school = data.pop("school")
        serializer.instance = call_service(
            results_service.create_metric_type, actor=self.request.user, school=school, **data
        )

    def perform_update(self, serializer):
        serializer.instance = call_service(
            results_service.update_metric_type,
            actor=self.request.user,
            metric=serializer.instance,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        call_service(results_service.delete_metric_type, actor=self.request.user, metric=instance)
