"""Safety home page."""

from django.urls import path

from safety import views_home

urlpatterns = [path("", views_home.home, name="safety-home")]
