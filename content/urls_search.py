"""Content pages: the library home with search, and the "Related" card fragment."""

from django.urls import path

from content import views_search as views

urlpatterns = [
    path("", views.home, name="content-home"),
    path("items/<int:pk>/related/", views.related, name="content-item-related"),
]
