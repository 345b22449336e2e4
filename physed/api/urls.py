"""PE core API under /api/v1/physed/: one URL module per area."""

from django.urls import include, path

urlpatterns = [
    path("physed/", include("physed.api.urls_roster")),
    path("physed/", include("physed.api.urls_sessions")),
    path("physed/", include("physed.api.urls_library")),
    path("physed/", include("physed.api.urls_movement")),
    path("physed/", include("physed.api.urls_adaptation")),
]
