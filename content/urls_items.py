"""Content pages: items (stub until the area lands)."""

urlpatterns = []
