"""Assessments API: rubrics (issue 7)."""

urlpatterns: list = []
