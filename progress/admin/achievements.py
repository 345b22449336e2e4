"""Admin: achievements (issue 7; filled by the area)."""
