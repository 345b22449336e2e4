"""Celery tasks: privacy."""
