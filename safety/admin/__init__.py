"""Safety admin: one module per area."""

from safety.admin import environment, equipment, incidents, medical, monitoring, protocols, risk  # noqa: F401
