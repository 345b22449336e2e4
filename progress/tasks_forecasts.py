"""Celery tasks: forecasts (filled by the area)."""

__all__: list = []
