"""PE core pages: one URL module per area."""

from django.urls import include, path

urlpatterns = [
    path("", include("physed.urls_roster")),
    path("", include("physed.urls_sessions")),
    path("", include("physed.urls_library")),
    path("", include("physed.urls_movement")),
    path("", include("physed.urls_adaptation")),
]
