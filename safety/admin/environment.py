"""Admin: environment."""
