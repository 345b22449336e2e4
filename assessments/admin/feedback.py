"""Admin: feedback (issue 7; filled by the area)."""
