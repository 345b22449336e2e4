"""Content admin: items."""
