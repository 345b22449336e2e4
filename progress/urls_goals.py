"""Progress pages: the hub, goals, student and class progress (under /progress/)."""

from django.urls import path

from progress import views_goals as views

urlpatterns = [
    path("", views.home, name="progress-home"),
    path("goals/", views.goal_list, name="progress-goal-list"),
    path("goals/new/", views.goal_create, name="progress-goal-create"),
    path("goals/<int:pk>/", views.goal_detail, name="progress-goal-detail"),
    path("goals/<int:pk>/panel/", views.goal_panel, name="progress-goal-panel"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="progress-goal-edit"),
    path("goals/<int:pk>/approve/", views.goal_decide, {"decision": "approve"}, name="progress-goal-approve"),
    path("goals/<int:pk>/reject/", views.goal_decide, {"decision": "reject"}, name="progress-goal-reject"),
    path("goals/<int:pk>/cancel/", views.goal_cancel, name="progress-goal-cancel"),
    path("goals/<int:pk>/delete/", views.goal_delete, name="progress-goal-delete"),
    path("students/<int:pk>/", views.student_progress, name="progress-student"),
    path("students/<int:pk>/panel/", views.student_panel, name="progress-student-panel"),
    path("students/<int:pk>/entries/new/", views.entry_add, name="progress-entry-add"),
    path("classes/<int:pk>/", views.class_progress, name="progress-class"),
    path("classes/<int:pk>/panel/", views.class_panel, name="progress-class-panel"),
]
