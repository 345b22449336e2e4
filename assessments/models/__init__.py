"""Assessments (issue 7 §1, §2, §5): fitness testing with versioned standards, rubrics and skill
assessments, feedback, progress reports. One module per area."""

from assessments.models.feedback import *  # noqa: F403
from assessments.models.fitness import *  # noqa: F403
from assessments.models.reports import *  # noqa: F403
from assessments.models.rubrics import *  # noqa: F403
