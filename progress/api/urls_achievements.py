"""Progress API: badges (mounted under /api/v1/progress/)."""

from rest_framework.routers import SimpleRouter

from progress.api import achievements_views as views

router = SimpleRouter()
router.register("achievement-definitions", views.AchievementDefinitionViewSet, basename="progress-badge")
router.register("achievements", views.AchievementViewSet, basename="progress-achievement")

urlpatterns = router.urls
