"""PE core models, one module per area (roster, library, sessions, movement, adaptation)."""

from physed.models.adaptation import *  # noqa: F403
from physed.models.library import *  # noqa: F403
from physed.models.movement import *  # noqa: F403
from physed.models.roster import *  # noqa: F403
from physed.models.sessions import *  # noqa: F403
