"""Celery tasks of the assessments app: one module per area."""

from assessments.tasks_reports import *  # noqa: F403
