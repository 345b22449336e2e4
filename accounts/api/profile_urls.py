"""API routes; included from accounts/api/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts.api import profile_views

router = SimpleRouter()
router.register("users", profile_views.UserViewSet, basename="api-user")

urlpatterns: list = [
    path("me/avatar/", profile_views.MeAvatarView.as_view(), name="me-avatar"),
    *router.urls,
]
