"""Admin: fitness (issue 7; filled by the area)."""
