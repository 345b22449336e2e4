"""Safety API: medical profiles and class needs (mounted under /api/v1/safety/)."""

from rest_framework.routers import SimpleRouter

from safety.api import medical_views as views

router = SimpleRouter()
router.register("medical-profiles", views.MedicalProfileViewSet, basename="safety-medical-profile")
router.register("classes", views.ClassNeedsViewSet, basename="safety-class-needs")

urlpatterns = router.urls
