"""The API root: one URL module per app, mounted under /api/v1/. Apps add theirs here."""

from django.urls import include, path

urlpatterns = [
    path("", include("accounts.api.urls")),
    path("", include("physed.api.urls")),
    path("", include("safety.api.urls")),
    path("", include("progress.api.urls")),
    path("", include("assessments.api.urls")),
    path("", include("content.api.urls")),
    path("", include("memory.api.urls")),
    path("", include("assistant.api.urls")),
]
