"""Assessments pages: analytics (issue 7)."""

from django.urls import path

from assessments import views_analytics as views

urlpatterns = [
    path("analytics/classes/<int:pk>/", views.class_analytics, name="assessments-analytics-class"),
    path("analytics/school/", views.school_analytics, name="assessments-analytics-school"),
]
