"""PE core factories, one module per area; importing this registers them all for the walkers."""

from physed.tests.factories_adaptation import *  # noqa: F403
from physed.tests.factories_library import *  # noqa: F403
from physed.tests.factories_movement import *  # noqa: F403
from physed.tests.factories_roster import *  # noqa: F403
from physed.tests.factories_sessions import *  # noqa: F403
