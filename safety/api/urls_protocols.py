"""Safety API: protocols, emergency procedures and drills (mounted under /api/v1/safety/)."""

from rest_framework.routers import SimpleRouter

from safety.api import protocols_views as views

router = SimpleRouter()
router.register("protocols", views.SafetyProtocolViewSet, basename="safety-protocol")
router.register("emergency-procedures", views.EmergencyProcedureViewSet, basename="safety-procedure")
router.register("drills", views.DrillViewSet, basename="safety-drill")

urlpatterns = router.urls
