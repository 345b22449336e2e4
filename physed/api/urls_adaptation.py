"""API: adaptation and recommendations (mounted under /api/v1/physed/)."""

from rest_framework.routers import SimpleRouter

from physed.api import adaptation_views as views

router = SimpleRouter()
router.register("adaptation-profiles", views.AdaptationProfileViewSet, basename="adaptation-profile")
router.register("adaptation-proposals", views.AdaptationProposalViewSet, basename="adaptation-proposal")
router.register("sessions", views.SessionAdaptationViewSet, basename="session-adaptation")
router.register("classes", views.ClassRecommendationViewSet, basename="class-recommendation")
router.register("students", views.StudentRecommendationViewSet, basename="student-recommendation")
router.register("recommendations/feedback", views.RecommendationFeedbackViewSet, basename="recommendation-feedback")

urlpatterns = router.urls
