"""Progress admin: one module per area."""

from progress.admin import achievements, goals  # noqa: F401
