"""Safety pages under /safety/: one URL module per area."""

from django.urls import include, path

urlpatterns = [
    path("safety/", include("safety.urls_home")),
    path("safety/", include("safety.urls_medical")),
    path("safety/", include("safety.urls_protocols")),
    path("safety/", include("safety.urls_risk")),
    path("safety/", include("safety.urls_incidents")),
    path("safety/", include("safety.urls_equipment")),
    path("safety/", include("safety.urls_environment")),
    path("safety/", include("safety.urls_monitoring")),
]
