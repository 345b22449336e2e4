"""Pages of "What the assistant remembers about me" (URL names ``memory-…``)."""

from django.urls import path

from memory import views_memories as views

urlpatterns = [
    path("", views.memory_list, name="memory-list"),
    path("add/", views.memory_add, name="memory-add"),
    path("export/", views.memory_export, name="memory-export"),
    path("tidy/", views.memory_tidy, name="memory-tidy"),
    path("<int:pk>/edit/", views.memory_edit, name="memory-edit"),
    path("<int:pk>/delete/", views.memory_delete, name="memory-delete"),
    path("<int:pk>/pin/", views.memory_pin, name="memory-pin"),
]
