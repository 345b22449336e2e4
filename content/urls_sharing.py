"""Content pages: sharing, comments, copies (forks)."""

from django.urls import path

from content import views_sharing as views

urlpatterns = [
    path("items/<int:pk>/sharing/", views.item_share, name="content-item-share"),
    path(
        "items/<int:pk>/sharing/<str:audience>/<int:target>/remove/",
        views.share_remove,
        name="content-share-remove",
    ),
    path("items/<int:pk>/comments/", views.item_comments, name="content-item-comments"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="content-comment-delete"),
    path("items/<int:pk>/fork/", views.item_fork, name="content-item-fork"),
]
