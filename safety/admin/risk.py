"""Admin: risk."""
