"""Admin: equipment."""
