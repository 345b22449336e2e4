"""Pages: adaptation."""

urlpatterns: list = []
