"""Memory API under /api/v1/memory/."""

urlpatterns: list = []
