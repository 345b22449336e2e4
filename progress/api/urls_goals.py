"""Progress API: goals, entries and student progress (mounted under /api/v1/progress/)."""

from rest_framework.routers import SimpleRouter

from progress.api import goals_views as views

router = SimpleRouter()
router.register("goals", views.GoalViewSet, basename="progress-goal")
router.register("entries", views.ProgressEntryViewSet, basename="progress-entry")
router.register("students", views.StudentProgressViewSet, basename="progress-student-summary")

urlpatterns = router.urls
