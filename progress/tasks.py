"""Celery tasks of the progress app: one module per area."""

from progress.tasks_forecasts import *  # noqa: F403
from progress.tasks_goals import *  # noqa: F403
