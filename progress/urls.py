"""Progress pages under /progress/: one URL module per area."""

from django.urls import include, path

urlpatterns = [
    path("progress/", include("progress.urls_goals")),
    path("progress/", include("progress.urls_achievements")),
    path("progress/", include("progress.urls_forecasts")),
]
