"""Assessments API: feedback (issue 7)."""

urlpatterns: list = []
