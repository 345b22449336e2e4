"""Celery tasks of accounts, one module per area (Celery autodiscovers ``accounts.tasks``)."""

from accounts.tasks import activity, audit, preferences, privacy, profiles, rbac, sessions  # noqa: F401
