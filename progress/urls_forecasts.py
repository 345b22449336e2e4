"""Progress pages: forecasts (issue 7)."""

urlpatterns: list = []
