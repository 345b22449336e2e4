"""Assessments pages: fitness (under /assessments/)."""

from django.urls import path

from assessments import views_fitness as views

urlpatterns = [
    path("fitness/events/", views.event_list, name="assessments-event-list"),
    path("fitness/events/new/", views.event_create, name="assessments-event-create"),
    path("fitness/events/<int:pk>/", views.event_detail, name="assessments-event-detail"),
    path("fitness/events/<int:pk>/entry/", views.event_entry, name="assessments-event-entry"),
    path("fitness/events/<int:pk>/delete/", views.event_delete, name="assessments-event-delete"),
    path("fitness/standards/", views.standards, name="assessments-standards"),
    path("fitness/settings/", views.fitness_settings, name="assessments-fitness-settings"),
    path("fitness/students/<int:pk>/", views.student_fitness, name="assessments-student-fitness"),
]
