"""API routes of sessions, security monitoring and lockouts; included from accounts/api/urls.py."""

from django.urls import path

from accounts.api import session_views

urlpatterns = [
    path("me/sessions/", session_views.MySessionListView.as_view(), name="my-sessions"),
    path("me/sessions/<int:pk>/", session_views.MySessionDetailView.as_view(), name="my-session-detail"),
    path(
        "security/flagged-sessions/",
        session_views.FlaggedSessionListView.as_view(),
        name="flagged-sessions",
    ),
    path(
        "security/flagged-sessions/<int:pk>/revoke/",
        session_views.FlaggedSessionRevokeView.as_view(),
        name="flagged-session-revoke",
    ),
    path("lockouts/", session_views.LockoutListView.as_view(), name="lockouts"),
    path("lockouts/<int:pk>/", session_views.LockoutDetailView.as_view(), name="lockout-detail"),
]
