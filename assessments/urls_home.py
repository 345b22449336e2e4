"""Assessments pages: the home page (/assessments/)."""

from django.urls import path

from assessments import views_home

urlpatterns = [
    path("", views_home.home, name="assessments-home"),
]
