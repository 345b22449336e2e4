"""Content API: history (stub until the area lands)."""

urlpatterns = []
