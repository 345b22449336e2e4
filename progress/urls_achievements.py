"""Progress pages: achievements (issue 7)."""

urlpatterns: list = []
