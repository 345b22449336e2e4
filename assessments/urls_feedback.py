"""Assessments pages: feedback (issue 7)."""

urlpatterns: list = []
