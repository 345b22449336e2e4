"""Assessments admin: one module per area."""

from assessments.admin import feedback, fitness, reports, rubrics  # noqa: F401
