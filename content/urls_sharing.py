"""Content pages: sharing (stub until the area lands)."""

urlpatterns = []
