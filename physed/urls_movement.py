"""Pages: movement."""

from django.urls import path

from physed import views_movement as views

urlpatterns = [
    path("movement/", views.analysis_list, name="movement-list"),
    path("movement/new/", views.analysis_upload, name="movement-upload"),
    path("movement/<int:pk>/", views.analysis_detail, name="movement-analysis"),
    path("movement/<int:pk>/video/", views.analysis_video, name="movement-video"),
    path("movement/<int:pk>/reanalyse/", views.analysis_reanalyse, name="movement-reanalyse"),
    path("movement/<int:pk>/delete/", views.analysis_delete, name="movement-delete"),
    path("movement/students/<int:student_id>/", views.student_history, name="movement-student"),
]
