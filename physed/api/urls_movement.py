"""API: movement."""

urlpatterns: list = []
