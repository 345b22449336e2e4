"""Content pages: search (stub until the area lands)."""

urlpatterns = []
