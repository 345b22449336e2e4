"""Progress API: forecasts (issue 7), mounted under /api/v1/progress/."""

from django.urls import path

from progress.api import forecasts_views as views

urlpatterns = [
    path(
        "goals/<int:pk>/forecast/",
        views.GoalForecastViewSet.as_view({"get": "forecast"}),
        name="progress-goal-forecast-api",
    ),
    path(
        "classes/<int:pk>/forecasts/",
        views.ClassForecastsViewSet.as_view({"get": "forecasts"}),
        name="progress-class-forecasts-api",
    ),
]
