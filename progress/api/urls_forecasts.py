"""Progress API: forecasts (issue 7)."""

urlpatterns: list = []
