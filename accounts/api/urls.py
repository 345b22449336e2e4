from django.urls import include, path
from rest_framework.routers import SimpleRouter

from accounts.api import views

router = SimpleRouter()
router.register("schools", views.SchoolViewSet, basename="school")

urlpatterns = [
    path("auth/register/", views.RegisterView.as_view(), name="auth-register"),
    path("auth/token/", views.TokenView.as_view(), name="auth-token"),
    path("auth/token/refresh/", views.TokenRotateView.as_view(), name="auth-token-refresh"),
    path("auth/logout/", views.LogoutView.as_view(), name="auth-logout"),
    path("me/", views.MeView.as_view(), name="me"),
    path("", include("accounts.api.auth_urls")),
    path("", include("accounts.api.session_urls")),
    path("", include("accounts.api.audit_urls")),
    path("", include("accounts.api.rbac_urls")),
    *router.urls,
]
