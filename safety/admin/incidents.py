"""Admin: incidents."""
