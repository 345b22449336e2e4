"""Assessments API: fitness (mounted under /api/v1/assessments/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from assessments.api import fitness_views as views

router = SimpleRouter()
router.register("fitness-tests", views.FitnessTestViewSet, basename="assessments-fitness-test")
router.register("standard-sets", views.StandardSetViewSet, basename="assessments-standard-set")
router.register("test-events", views.TestEventViewSet, basename="assessments-test-event")
router.register("fitness-results", views.FitnessResultViewSet, basename="assessments-fitness-result")

urlpatterns = [
    path("fitness-settings/", views.FitnessSettingsView.as_view(), name="assessments-fitness-settings-api"),
    *router.urls,
]
