"""Admin: roster."""
