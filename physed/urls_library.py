"""Pages: the activity and exercise library."""

from django.urls import path

from physed import views_library as views

urlpatterns = [
    path("library/activities/", views.activity_list, name="activity-list"),
    path("library/activities/new/", views.activity_create, name="activity-create"),
    path("library/activities/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("library/activities/<int:pk>/edit/", views.activity_edit, name="activity-edit"),
    path("library/activities/<int:pk>/duplicate/", views.activity_duplicate, name="activity-duplicate"),
    path("library/activities/<int:pk>/delete/", views.activity_delete, name="activity-delete"),
    path("library/exercises/", views.exercise_list, name="exercise-list"),
    path("library/exercises/new/", views.exercise_create, name="exercise-create"),
    path("library/exercises/<int:pk>/", views.exercise_detail, name="exercise-detail"),
    path("library/exercises/<int:pk>/edit/", views.exercise_edit, name="exercise-edit"),
    path("library/exercises/<int:pk>/duplicate/", views.exercise_duplicate, name="exercise-duplicate"),
    path("library/exercises/<int:pk>/delete/", views.exercise_delete, name="exercise-delete"),
]
