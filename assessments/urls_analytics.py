"""Assessments pages: analytics (issue 7)."""

urlpatterns: list = []
