"""API: movement (mounted under /api/v1/physed/)."""

from rest_framework.routers import SimpleRouter

from physed.api import movement_views

router = SimpleRouter()
router.register("movement-analyses", movement_views.MovementAnalysisViewSet, basename="movement-analysis")

urlpatterns = router.urls
