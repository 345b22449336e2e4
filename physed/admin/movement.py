"""Admin: movement."""
