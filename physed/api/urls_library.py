"""API: library (mounted under /api/v1/physed/)."""

from rest_framework.routers import SimpleRouter

from physed.api import library_views

router = SimpleRouter()
router.register("activities", library_views.ActivityViewSet, basename="library-activity")
router.register("exercises", library_views.ExerciseViewSet, basename="library-exercise")
router.register("equipment-types", library_views.EquipmentTypeViewSet, basename="equipment-type")
router.register("muscle-groups", library_views.MuscleGroupViewSet, basename="muscle-group")
router.register("standards", library_views.StandardViewSet, basename="pe-standard")
router.register("indicators", library_views.IndicatorViewSet, basename="grade-span-indicator")

urlpatterns = router.urls
