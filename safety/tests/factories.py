"""All safety factories (one module per area)."""

from safety.tests.factories_environment import *  # noqa: F403
from safety.tests.factories_equipment import *  # noqa: F403
from safety.tests.factories_incidents import *  # noqa: F403
from safety.tests.factories_medical import *  # noqa: F403
from safety.tests.factories_monitoring import *  # noqa: F403
from safety.tests.factories_protocols import *  # noqa: F403
from safety.tests.factories_risk import *  # noqa: F403
