"""Assessments factories (one module per area, aggregated here for the walkers)."""

from assessments.tests.factories_analytics import *  # noqa: F403
from assessments.tests.factories_core import *  # noqa: F403
from assessments.tests.factories_fitness import *  # noqa: F403
from assessments.tests.factories_reports import *  # noqa: F403
from assessments.tests.factories_rubrics import *  # noqa: F403
