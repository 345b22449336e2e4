"""PE core admin, one module per area."""

from physed.admin import adaptation, library, movement, roster, sessions  # noqa: F401
