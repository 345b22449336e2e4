"""Progress API: achievements (issue 7)."""

urlpatterns: list = []
