"""Assessments API: fitness (issue 7)."""

urlpatterns: list = []
