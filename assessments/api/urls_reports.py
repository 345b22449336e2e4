"""Assessments API: reports (issue 7)."""

urlpatterns: list = []
