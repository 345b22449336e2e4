"""API routes of the authentication flows; included from accounts/api/urls.py."""

from django.urls import path

from accounts.api import auth_views

urlpatterns = [
    path("auth/register/", auth_views.RegisterView.as_view(), name="auth-register"),
    path("auth/token/", auth_views.TokenView.as_view(), name="auth-token"),
    path("auth/token/refresh/", auth_views.TokenRotateView.as_view(), name="auth-token-refresh"),
    path("auth/logout/", auth_views.LogoutView.as_view(), name="auth-logout"),
    path("auth/logout-all/", auth_views.LogoutAllView.as_view(), name="auth-logout-all"),
    path("auth/verify-email/", auth_views.VerifyEmailView.as_view(), name="auth-verify-email"),
    path("auth/verify-email/resend/", auth_views.ResendVerificationView.as_view(), name="auth-verify-email-resend"),
    path("auth/password-reset/", auth_views.PasswordResetView.as_view(), name="auth-password-reset"),
    path(
        "auth/password-reset/confirm/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="auth-password-reset-confirm",
    ),
    path("auth/password-change/", auth_views.PasswordChangeView.as_view(), name="auth-password-change"),
]
