"""Assessments pages: home (issue 7)."""

urlpatterns: list = []
