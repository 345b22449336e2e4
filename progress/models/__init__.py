"""Progress (issue 7 §3–4): goals, milestones, progress entries, achievements."""

from progress.models.achievements import *  # noqa: F403
from progress.models.goals import *  # noqa: F403
