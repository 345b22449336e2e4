"""Assessments pages: rubrics and skill assessments (issue 7)."""

from django.urls import path

from assessments import views_rubrics as views

urlpatterns = [
    path("rubrics/", views.rubric_list, name="assessments-rubric-list"),
    path("rubrics/new/", views.rubric_create, name="assessments-rubric-create"),
    path("rubrics/<int:pk>/", views.rubric_detail, name="assessments-rubric-detail"),
    path("rubrics/<int:pk>/edit/", views.rubric_edit, name="assessments-rubric-edit"),
    path("rubrics/<int:pk>/copy/", views.rubric_copy, name="assessments-rubric-copy"),
    path("rubrics/<int:pk>/delete/", views.rubric_delete, name="assessments-rubric-delete"),
    path("rubrics/<int:pk>/assess/", views.assess, name="assessments-assess"),
    path("skills/<int:pk>/", views.skill_detail, name="assessments-skill-detail"),
    path("skills/<int:pk>/evidence/<int:evidence_id>/", views.evidence_download, name="assessments-evidence-download"),
    path("students/<int:pk>/skills/", views.student_skills, name="assessments-student-skills"),
]
