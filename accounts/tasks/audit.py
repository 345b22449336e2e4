"""Celery tasks: audit."""
