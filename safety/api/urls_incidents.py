"""Safety API: incidents (mounted under /api/v1/safety/)."""

from rest_framework.routers import SimpleRouter

from safety.api import incidents_views as views

router = SimpleRouter()
router.register("incidents", views.IncidentViewSet, basename="safety-incident")
router.register("incident-actions", views.IncidentActionViewSet, basename="safety-incident-action")
router.register("guardian-notices", views.GuardianNoticeViewSet, basename="safety-guardian-notice")

urlpatterns = router.urls
