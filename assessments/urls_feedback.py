"""Assessments pages: feedback (issue 7)."""

from django.urls import path

from assessments import views_feedback as views

urlpatterns = [
    path("students/<int:pk>/feedback/add/", views.feedback_add, name="assessments-feedback-add"),
    path("feedback/<int:pk>/delete/", views.feedback_delete, name="assessments-feedback-delete"),
]
