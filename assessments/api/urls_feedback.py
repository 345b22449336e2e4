"""Assessments API: feedback (mounted under /api/v1/assessments/)."""

from rest_framework.routers import SimpleRouter

from assessments.api import feedback_views as views

router = SimpleRouter()
router.register("feedback", views.FeedbackViewSet, basename="assessments-feedback")

urlpatterns = router.urls
