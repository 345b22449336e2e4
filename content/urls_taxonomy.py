"""Content pages: categories and tags (stub names until the area lands)."""

from django.urls import path

from content.views_stub import placeholder

urlpatterns = [
    path("categories/", placeholder, name="content-category-list"),
    path("categories/new/", placeholder, name="content-category-create"),
    path("categories/<int:pk>/edit/", placeholder, name="content-category-edit"),
    path("categories/<int:pk>/delete/", placeholder, name="content-category-delete"),
    path("tags/", placeholder, name="content-tag-list"),
    path("bulk-tag/", placeholder, name="content-bulk-tag"),
    path("items/<int:pk>/tag-suggestions/", placeholder, name="content-tag-suggestions"),
]
