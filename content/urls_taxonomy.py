"""Content pages: taxonomy (stub until the area lands)."""

urlpatterns = []
