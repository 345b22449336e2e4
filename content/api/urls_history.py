"""Content API: an item's versions, the diff between two, restore (mounted under /api/v1/content/)."""

from django.urls import path

from content.api import history_views as views

urlpatterns = [
    path(
        "items/<int:item_id>/versions/",
        views.ItemVersionViewSet.as_view({"get": "list"}),
        name="content-item-versions-api",
    ),
    path(
        "items/<int:item_id>/versions/<int:number>/",
        views.ItemVersionViewSet.as_view({"get": "retrieve"}),
        name="content-item-version-api",
    ),
    path(
        "items/<int:item_id>/diff/",
        views.ItemHistoryActionsViewSet.as_view({"get": "diff"}),
        name="content-item-diff-api",
    ),
    path(
        "items/<int:item_id>/restore/",
        views.ItemHistoryActionsViewSet.as_view({"post": "restore"}),
        name="content-item-restore-api",
    ),
]
