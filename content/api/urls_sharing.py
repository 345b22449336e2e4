"""Content API: sharing, comments, copies (mounted under /api/v1/content/)."""

from django.urls import path

from content.api import sharing_views as views

urlpatterns = [
    path(
        "items/<int:pk>/shares/",
        views.ItemSharesViewSet.as_view({"get": "shares", "post": "share"}),
        name="content-item-shares-api",
    ),
    path(
        "items/<int:pk>/shares/remove/",
        views.ItemSharesViewSet.as_view({"post": "remove"}),
        name="content-item-shares-remove-api",
    ),
    path(
        "items/<int:pk>/comments/",
        views.ItemCommentsViewSet.as_view({"get": "comments", "post": "add_comment"}),
        name="content-item-comments-api",
    ),
    path("comments/<int:pk>/", views.CommentViewSet.as_view({"delete": "destroy"}), name="content-comment-api"),
    path("items/<int:pk>/fork/", views.ItemForkViewSet.as_view({"post": "fork"}), name="content-item-fork-api"),
]
