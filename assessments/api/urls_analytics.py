"""Assessments API: analytics (issue 7)."""

urlpatterns: list = []
