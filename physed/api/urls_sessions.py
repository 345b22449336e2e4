"""API: sessions, attendance, metric types, results and the analytics behind the charts."""

from rest_framework.routers import SimpleRouter

from physed.api import sessions_analytics_views, sessions_records_views, sessions_views

router = SimpleRouter()
router.register("sessions", sessions_views.ClassSessionViewSet, basename="physed-session")
router.register("attendance-records", sessions_records_views.AttendanceRecordViewSet, basename="physed-attendance")
router.register("results", sessions_records_views.PerformanceResultViewSet, basename="physed-result")
router.register("metric-types", sessions_records_views.MetricTypeViewSet, basename="physed-metric-type")
router.register("students", sessions_analytics_views.StudentAnalyticsViewSet, basename="physed-student-analytics")
router.register("classes", sessions_analytics_views.ClassAnalyticsViewSet, basename="physed-class-analytics")

urlpatterns = router.urls
