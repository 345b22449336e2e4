"""Content pages: items (stub names until the area lands)."""

from django.urls import path

from content.views_stub import placeholder

urlpatterns = [
    path("items/new/", placeholder, name="content-item-create"),
    path("items/<int:pk>/", placeholder, name="content-item-detail"),
    path("items/<int:pk>/edit/", placeholder, name="content-item-edit"),
    path("items/<int:pk>/delete/", placeholder, name="content-item-delete"),
    path("items/<int:pk>/attachments/", placeholder, name="content-attachment-add"),
    path("attachments/<int:pk>/download/", placeholder, name="content-attachment-download"),
    path("attachments/<int:pk>/delete/", placeholder, name="content-attachment-delete"),
    path("items/<int:pk>/schedule/", placeholder, name="content-item-schedule"),
]
