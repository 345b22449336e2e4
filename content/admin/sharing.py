"""Content admin: sharing."""
