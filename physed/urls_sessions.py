"""Pages: sessions."""

urlpatterns: list = []
