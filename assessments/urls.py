"""Assessments pages under /assessments/: one URL module per area."""

from django.urls import include, path

urlpatterns = [
    path("assessments/", include("assessments.urls_home")),
    path("assessments/", include("assessments.urls_fitness")),
    path("assessments/", include("assessments.urls_rubrics")),
    path("assessments/", include("assessments.urls_feedback")),
    path("assessments/", include("assessments.urls_reports")),
    path("assessments/", include("assessments.urls_analytics")),
]
