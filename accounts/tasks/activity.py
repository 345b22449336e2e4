"""Celery tasks: activity."""
