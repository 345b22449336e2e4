"""API routes; included from accounts/api/urls.py."""

urlpatterns: list = []
