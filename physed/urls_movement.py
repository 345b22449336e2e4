"""Pages: movement."""

urlpatterns: list = []
