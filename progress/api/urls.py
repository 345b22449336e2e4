"""Progress API under /api/v1/progress/: one URL module per area."""

from django.urls import include, path

urlpatterns = [
    path("progress/", include("progress.api.urls_goals")),
    path("progress/", include("progress.api.urls_achievements")),
    path("progress/", include("progress.api.urls_forecasts")),
]
