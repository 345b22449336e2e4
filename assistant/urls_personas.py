"""Assistant pages: persona settings and the school's personas."""

from django.urls import path

from assistant import views_personas as views

urlpatterns = [
    path("personas/", views.persona_settings, name="assistant-personas"),
    path("personas/new/", views.persona_create, name="assistant-persona-create"),
    path("personas/<int:pk>/edit/", views.persona_edit, name="assistant-persona-edit"),
    path("personas/<int:pk>/delete/", views.persona_delete, name="assistant-persona-delete"),
    path("personas/<int:pk>/default/", views.persona_default, name="assistant-persona-default"),
]
