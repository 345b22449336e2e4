"""Content pages: sharing, comments, forks (stub names until the area lands)."""

from django.urls import path

from content.views_stub import placeholder

urlpatterns = [
    path("items/<int:pk>/sharing/", placeholder, name="content-item-share"),
    path("items/<int:pk>/sharing/<str:audience>/<int:target>/remove/", placeholder, name="content-share-remove"),
    path("items/<int:pk>/comments/", placeholder, name="content-item-comments"),
    path("comments/<int:pk>/delete/", placeholder, name="content-comment-delete"),
    path("items/<int:pk>/fork/", placeholder, name="content-item-fork"),
]
