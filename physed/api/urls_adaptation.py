"""API: adaptation."""

urlpatterns: list = []
