"""Assessments API: rubrics and skill assessments (mounted under /api/v1/assessments/)."""

from rest_framework.routers import SimpleRouter

from assessments.api import rubrics_views as views

router = SimpleRouter()
router.register("rubrics", views.RubricViewSet, basename="assessments-rubric")
router.register("skill-assessments", views.SkillAssessmentViewSet, basename="assessments-skill")

urlpatterns = router.urls
