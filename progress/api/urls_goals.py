"""Progress API: goals (issue 7)."""

urlpatterns: list = []
