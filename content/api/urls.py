"""Content API under /api/v1/content/: one URL module per area."""

from django.urls import include, path

urlpatterns = [
    path("content/", include("content.api.urls_search")),
    path("content/", include("content.api.urls_items")),
    path("content/", include("content.api.urls_history")),
    path("content/", include("content.api.urls_taxonomy")),
    path("content/", include("content.api.urls_sharing")),
]
