"""Content admin: taxonomy."""
