"""Admin: goals (issue 7; filled by the area)."""
