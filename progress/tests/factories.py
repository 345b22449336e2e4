"""Progress factories (one module per area, aggregated here for the walkers)."""

from progress.tests.factories_core import *  # noqa: F403
from progress.tests.factories_goals import *  # noqa: F403
