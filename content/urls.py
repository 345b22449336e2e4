"""Content library pages under /content/: one URL module per area."""

from django.urls import include, path

urlpatterns = [
    path("content/", include("content.urls_search")),
    path("content/", include("content.urls_items")),
    path("content/", include("content.urls_history")),
    path("content/", include("content.urls_taxonomy")),
    path("content/", include("content.urls_sharing")),
]
