"""Safety and risk (issue 6): one module per area."""

from safety.models.environment import *  # noqa: F403
from safety.models.equipment import *  # noqa: F403
from safety.models.incidents import *  # noqa: F403
from safety.models.medical import *  # noqa: F403
from safety.models.monitoring import *  # noqa: F403
from safety.models.protocols import *  # noqa: F403
from safety.models.risk import *  # noqa: F403
