"""Progress pages: forecasts (issue 7)."""

from django.urls import path

from progress import views_forecasts as views

urlpatterns = [
    path("classes/<int:pk>/forecasts/", views.class_forecasts_page, name="progress-forecasts"),
]
