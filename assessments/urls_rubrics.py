"""Assessments pages: rubrics (issue 7)."""

urlpatterns: list = []
