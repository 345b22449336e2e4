"""API: roster."""

urlpatterns: list = []
