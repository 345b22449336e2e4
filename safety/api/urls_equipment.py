"""Safety API: equipment (mounted under /api/v1/safety/)."""

from rest_framework.routers import SimpleRouter

from safety.api import equipment_views as views

router = SimpleRouter()
router.register("equipment", views.EquipmentItemViewSet, basename="safety-equipment")
router.register("inspections", views.InspectionViewSet, basename="safety-inspection")
router.register("maintenance", views.MaintenanceViewSet, basename="safety-maintenance")
router.register("sessions", views.SessionEquipmentFlagsViewSet, basename="safety-session-equipment")

urlpatterns = router.urls
