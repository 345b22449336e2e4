"""Page routes; included from accounts/urls.py."""

from django.urls import path

from accounts.views_audit import AuditLogView

urlpatterns: list = [
    path("audit/", AuditLogView.as_view(), name="audit-log"),
]
