"""Content API: taxonomy (stub until the area lands)."""

urlpatterns = []
