"""Celery tasks: preferences."""
