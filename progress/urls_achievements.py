"""Progress pages: badges (under /progress/)."""

from django.urls import path

from progress import views_achievements as views

urlpatterns = [
    path("badges/", views.achievement_list, name="progress-achievement-list"),
]
