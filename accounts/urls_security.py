"""Page routes of account security; included from accounts/urls.py."""

from django.urls import path

from accounts import views_security as views

urlpatterns = [
    path("accounts/register/", views.register, name="register"),
    path("accounts/register/done/", views.register_done, name="register-done"),
    path("accounts/verify-email/resend/", views.resend_verification, name="resend-verification"),
    path("accounts/verify-email/<str:token>/", views.verify_email, name="verify-email"),
    path("accounts/password-change/", views.password_change, name="security-password-change"),
    path("accounts/devices/", views.devices, name="security-devices"),
    path("accounts/devices/sign-out-others/", views.sign_out_others, name="security-sign-out-others"),
    path("accounts/devices/<int:pk>/end/", views.device_revoke, name="security-device-revoke"),
    path("security/flagged-sessions/", views.flagged_sessions, name="security-flagged-sessions"),
    path(
        "security/flagged-sessions/<int:pk>/end/",
        views.flagged_session_revoke,
        name="security-flagged-session-revoke",
    ),
    path("security/lockouts/", views.lockouts, name="security-lockouts"),
    path("security/lockouts/<int:pk>/unlock/", views.lockout_unlock, name="security-lockout-unlock"),
]
