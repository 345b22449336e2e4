"""Assistant API under /api/v1/assistant/."""

urlpatterns: list = []
