"""API: library."""

urlpatterns: list = []
