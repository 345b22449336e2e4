"""Analytics endpoints behind the charts: a student's attendance summary and metric trends
(readable by the student and their guardians through the ``physed.view_student`` object grant)
and a class's attendance summary and metric distribution (class view permissions)."""

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.api.base import ScopedViewSetMixin
from physed.api.sessions_analytics_serializers import (
    ClassAttendanceSummarySerializer,
    ClassPerformanceSerializer,
    MetricQuerySerializer,
    StudentAttendanceSummarySerializer,
    StudentPerformanceSerializer,
)
from physed.models import MetricType, PEClass, Student
from physed.selectors import attendance as attendance_selectors
from physed.selectors import performance as performance_selectors

METRIC_PARAMS = [
    OpenApiParameter("metric", OpenApiTypes.STR, description="Metric code (e.g. pacer_laps) or id."),
    OpenApiParameter("start", OpenApiTypes.DATE, description="Results from this date."),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Results up to this date."),
]


def _metric_for(school_id: int, raw: str) -> MetricType:
    queryset = MetricType.objects.filter(Q(school__isnull=True) | Q(school_id=school_id))
    found = queryset.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 19 else None
    found = found or queryset.filter(code=raw).order_by("school_id").first()
    if found is None:
        raise ValidationError({"metric": [_("Unknown metric.")]})
    return found


def _query(request) -> dict:
    serializer = MetricQuerySerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class _AnalyticsViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    filter_backends: list = []
    pagination_class = None
    personal_data = True

    def respond(self, serializer_class, payload):
        return Response(serializer_class(payload).data)


@extend_schema(tags=["physed-analytics"])
class StudentAnalyticsViewSet(_AnalyticsViewSet):
    queryset = Student.objects.all()
    required_permissions = {
        "attendance_summary": "physed.view_student",
        "performance": "physed.view_student",
    }

    @extend_schema(responses=StudentAttendanceSummarySerializer)
    @action(detail=True, methods=["get"], url_path="attendance-summary")
    def attendance_summary(self, request, pk=None):
        """Counts and rate per status, participation and attendance rates, streaks, last weeks' trend."""
        student = self.get_object()
        summary = attendance_selectors.student_attendance_summary(student)
        return self.respond(StudentAttendanceSummarySerializer, summary)

    @extend_schema(parameters=METRIC_PARAMS[:1], responses=StudentPerformanceSerializer)
    @action(detail=True, methods=["get"])
    def performance(self, request, pk=None):
        """The student's series for one metric (default: the most recorded) with its weekly trend."""
        student = self.get_object()
        query = _query(request)
        recorded = performance_selectors.metrics_recorded_for_student(student)
        metrics = [{"metric": performance_selectors.metric_payload(m), "results": n} for m, n in recorded]
        if query.get("metric"):
            metric = _metric_for(student.school_id, query["metric"])
        elif recorded:
            metric = recorded[0][0]
        else:
            empty = {
                "student": student.pk,
                "metric": None,
                "points": [],
                "n": 0,
                **dict.fromkeys(("mean", "best", "first", "latest", "slope_per_week", "improvement_per_week", "r2")),
                "direction": "insufficient_data",
            }
            return self.respond(StudentPerformanceSerializer, {**empty, "metrics": metrics})
        trend = performance_selectors.student_metric_trend(student, metric)
        return self.respond(StudentPerformanceSerializer, {**trend, "metrics": metrics})


@extend_schema(tags=["physed-analytics"])
class ClassAnalyticsViewSet(_AnalyticsViewSet):
    queryset = PEClass.objects.all()
    required_permissions = {
        "attendance_summary": "physed.view_attendancerecord",
        "performance": "physed.view_performanceresult",
    }

    @extend_schema(responses=ClassAttendanceSummarySerializer)
    @action(detail=True, methods=["get"], url_path="attendance-summary")
    def attendance_summary(self, request, pk=None):
        """Participation per session over time, per student, and students below the threshold."""
        pe_class = self.get_object()
        return self.respond(ClassAttendanceSummarySerializer, attendance_selectors.class_attendance_summary(pe_class))

    @extend_schema(parameters=METRIC_PARAMS, responses=ClassPerformanceSerializer)
    @action(detail=True, methods=["get"])
    def performance(self, request, pk=None):
        """Distribution of each student's latest value (histogram, mean, median, quartiles) and the
        class mean per session over time, for one metric (required)."""
        pe_class = self.get_object()
        query = _query(request)
        if not query.get("metric"):
            raise ValidationError({"metric": [_("Choose a metric (code or id).")]})
        metric = _metric_for(pe_class.school_id, query["metric"])
        payload = performance_selectors.class_performance(
            pe_class, metric, start=query.get("start"), end=query.get("end")
        )
        return self.respond(ClassPerformanceSerializer, payload)
