"""Progress pages: goals (issue 7)."""

urlpatterns: list = []
