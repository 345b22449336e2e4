from django.urls import include, path
from rest_framework.routers import SimpleRouter

from accounts.api import views

router = SimpleRouter()
router.register("schools", views.SchoolViewSet, basename="school")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("", include("accounts.api.auth_urls")),
    path("", include("accounts.api.session_urls")),
    path("", include("accounts.api.audit_urls")),
    path("", include("accounts.api.rbac_urls")),
    path("", include("accounts.api.profile_urls")),
    path("", include("accounts.api.preferences_urls")),
    path("", include("accounts.api.activity_urls")),
    path("", include("accounts.api.privacy_urls")),
    *router.urls,
]
