"""Admin: protocols."""
