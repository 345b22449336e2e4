"""Content API: search and discovery (mounted under /api/v1/content/)."""

from django.urls import path

from content.api import search_views as views

urlpatterns = [
    path("search/", views.SearchView.as_view(), name="content-search-api"),
    path("items/<int:pk>/related/", views.RelatedView.as_view(), name="content-item-related-api"),
    path("recent/", views.RecentView.as_view(), name="content-recent-api"),
    path("popular/", views.PopularView.as_view(), name="content-popular-api"),
]
