"""Assessments API under /api/v1/assessments/: one URL module per area."""

from django.urls import include, path

urlpatterns = [
    path("assessments/", include("assessments.api.urls_fitness")),
    path("assessments/", include("assessments.api.urls_rubrics")),
    path("assessments/", include("assessments.api.urls_feedback")),
    path("assessments/", include("assessments.api.urls_reports")),
    path("assessments/", include("assessments.api.urls_analytics")),
]
