"""Assessments API: analytics (issue 7), mounted under /api/v1/assessments/."""

from django.urls import path

from assessments.api import analytics_views as views

urlpatterns = [
    path(
        "analytics/classes/<int:pk>/",
        views.ClassFitnessAnalyticsViewSet.as_view({"get": "retrieve"}),
        name="assessments-analytics-class-api",
    ),
    path(
        "analytics/school/",
        views.SchoolFitnessAnalyticsViewSet.as_view({"get": "school"}),
        name="assessments-analytics-school-api",
    ),
]
