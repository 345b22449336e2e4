"""Celery tasks: rbac."""
