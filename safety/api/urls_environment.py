"""Safety API: environment (mounted under /api/v1/safety/)."""

from rest_framework.routers import SimpleRouter

from safety.api import environment_views as views

router = SimpleRouter()
router.register("environment-readings", views.EnvironmentReadingViewSet, basename="safety-environment-reading")
router.register("environment", views.EnvironmentStatusViewSet, basename="safety-environment")
router.register("environment-rule-sets", views.EnvironmentRuleSetViewSet, basename="safety-environment-rule-set")
router.register("settings", views.SafetySettingsViewSet, basename="safety-settings")

urlpatterns = router.urls
