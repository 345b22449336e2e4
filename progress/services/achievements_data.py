"""Loads the shipped badges from ``progress/data/achievements.json`` (filled by the achievements area)."""


def load_shipped() -> None:
    """Idempotent upsert of the shipped badge definitions."""
