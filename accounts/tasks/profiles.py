"""Celery tasks: profiles."""
