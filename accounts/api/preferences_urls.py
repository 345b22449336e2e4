"""API routes of preferences and notifications; included from accounts/api/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts.api import preferences_views as views

router = SimpleRouter()
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("me/preferences/", views.MyPreferencesView.as_view(), name="my-preferences"),
    path(
        "schools/<int:school_id>/preference-defaults/",
        views.SchoolPreferenceDefaultsViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="school-preference-defaults",
    ),
    *router.urls,
]
