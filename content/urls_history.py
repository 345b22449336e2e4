"""Content pages: history (stub names until the area lands)."""

from django.urls import path

from content.views_stub import placeholder

urlpatterns = [
    path("items/<int:pk>/history/", placeholder, name="content-item-history"),
    path("items/<int:pk>/versions/<int:number>/", placeholder, name="content-version-detail"),
    path("items/<int:pk>/diff/", placeholder, name="content-item-diff"),
    path("items/<int:pk>/versions/<int:number>/restore/", placeholder, name="content-version-restore"),
]
