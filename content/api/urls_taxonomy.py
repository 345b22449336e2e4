"""Content API: categories, tags, tag suggestions and bulk tagging (under /api/v1/content/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from content.api import taxonomy_views as views

router = SimpleRouter()
router.register("categories", views.CategoryViewSet, basename="content-category-api")
router.register("tags", views.TagViewSet, basename="content-tag-api")

urlpatterns = [
    path("tags/suggest/", views.TagSuggestView.as_view(), name="content-tag-suggest-api"),
    path("bulk-tag/", views.BulkTagView.as_view(), name="content-bulk-tag-api"),
    *router.urls,
]
