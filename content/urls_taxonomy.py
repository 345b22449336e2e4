"""Content pages: categories and tags."""

from django.urls import path

from content import views_taxonomy as views
from content import views_taxonomy_tags as tag_views

urlpatterns = [
    path("categories/", views.category_list, name="content-category-list"),
    path("categories/new/", views.category_create, name="content-category-create"),
    path("categories/<int:pk>/edit/", views.category_edit, name="content-category-edit"),
    path("categories/<int:pk>/delete/", views.category_delete, name="content-category-delete"),
    path("tags/", tag_views.tag_list, name="content-tag-list"),
    path("tags/<int:pk>/rename/", tag_views.tag_rename, name="content-tag-rename"),
    path("tags/<int:pk>/merge/", tag_views.tag_merge, name="content-tag-merge"),
    path("tags/<int:pk>/delete/", tag_views.tag_delete, name="content-tag-delete"),
    path("bulk-tag/", tag_views.bulk_tag_page, name="content-bulk-tag"),
    path("items/<int:pk>/tag-suggestions/", tag_views.tag_suggestions, name="content-tag-suggestions"),
    path("tag-suggestions/", tag_views.tag_suggestions_draft, name="content-tag-suggestions-draft"),
]
