"""Content API: items (stub until the area lands)."""

urlpatterns = []
