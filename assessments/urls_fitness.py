"""Assessments pages: fitness (issue 7)."""

urlpatterns: list = []
