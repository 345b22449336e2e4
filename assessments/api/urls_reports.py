"""Assessments API: progress reports (mounted under /api/v1/assessments/)."""

from rest_framework.routers import SimpleRouter

from assessments.api import reports_views as views

router = SimpleRouter()
router.register("reports", views.ProgressReportViewSet, basename="assessments-report")
router.register("report-batches", views.ReportBatchViewSet, basename="assessments-report-batch")
router.register("my-reports", views.MyReportViewSet, basename="assessments-my-report-api")

urlpatterns = router.urls
