"""Celery tasks of accounts, one module per area (Celery autodiscovers ``accounts.tasks``)."""

from accounts.tasks import audit, rbac, sessions  # noqa: F401
