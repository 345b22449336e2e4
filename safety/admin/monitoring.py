"""Admin: monitoring."""
