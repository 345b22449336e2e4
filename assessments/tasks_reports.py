"""Celery tasks: progress reports (filled by the reports area)."""

__all__: list = []
