"""Admin: medical."""
