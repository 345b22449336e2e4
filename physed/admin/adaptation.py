"""Admin: adaptation."""
