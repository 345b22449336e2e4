"""Content Celery tasks (none yet)."""
