"""Loads the shipped fitness tests and standard sets from ``assessments/data`` (filled by the fitness area)."""


def load_shipped() -> None:
    """Idempotent upsert of the shipped tests and standard sets."""
