"""Assessments pages: reports (issue 7)."""

urlpatterns: list = []
