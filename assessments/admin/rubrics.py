"""Admin: rubrics (issue 7; filled by the area)."""
