"""Content pages: version history, one version, the diff between two, restore."""

from django.urls import path

from content import views_history as views

urlpatterns = [
    path("items/<int:pk>/history/", views.item_history, name="content-item-history"),
    path("items/<int:pk>/versions/<int:number>/", views.version_detail, name="content-version-detail"),
    path("items/<int:pk>/diff/", views.item_diff, name="content-item-diff"),
    path("items/<int:pk>/versions/<int:number>/restore/", views.version_restore, name="content-version-restore"),
]
