"""Celery tasks of safety, one module per area (Celery autodiscovers ``safety.tasks``)."""

from safety import tasks_environment, tasks_monitoring, tasks_protocols, tasks_risk  # noqa: F401
