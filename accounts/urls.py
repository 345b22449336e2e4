from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views, views_security

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("school/switch/", views.switch_school_view, name="switch-school"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", views_security.PasswordResetPageView.as_view(), name="password_reset"),
    path("accounts/password-reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views_security.PasswordResetConfirmPageView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("", include("accounts.urls_security")),
    path("", include("accounts.urls_audit")),
    path("", include("accounts.urls_rbac")),
    path("", include("accounts.urls_profile")),
    path("", include("accounts.urls_preferences")),
    path("", include("accounts.urls_activity")),
    path("", include("accounts.urls_privacy")),
]
