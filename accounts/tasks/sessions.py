"""Celery tasks: sessions."""
