"""Celery tasks: goals (filled by the area)."""

__all__: list = []
