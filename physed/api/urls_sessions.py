"""API: sessions."""

urlpatterns: list = []
