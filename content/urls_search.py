"""Content pages: the library home with search (stub names until the area lands)."""

from django.urls import path

from content.views_stub import placeholder

urlpatterns = [
    path("", placeholder, name="content-home"),
]
