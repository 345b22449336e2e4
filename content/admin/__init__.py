"""Content admin: one module per area."""

from content.admin import items, sharing, taxonomy  # noqa: F401
