"""Admin: reports (issue 7; filled by the area)."""
