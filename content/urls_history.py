"""Content pages: history (stub until the area lands)."""

urlpatterns = []
