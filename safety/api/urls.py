"""Safety API under /api/v1/safety/: one URL module per area."""

from django.urls import include, path

urlpatterns = [
    path("safety/", include("safety.api.urls_medical")),
    path("safety/", include("safety.api.urls_protocols")),
    path("safety/", include("safety.api.urls_risk")),
    path("safety/", include("safety.api.urls_incidents")),
    path("safety/", include("safety.api.urls_equipment")),
    path("safety/", include("safety.api.urls_environment")),
    path("safety/", include("safety.api.urls_monitoring")),
]
