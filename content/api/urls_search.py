"""Content API: search (stub until the area lands)."""

urlpatterns = []
