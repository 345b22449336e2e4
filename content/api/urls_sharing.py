"""Content API: sharing (stub until the area lands)."""

urlpatterns = []
