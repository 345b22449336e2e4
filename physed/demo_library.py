"""Demo data: library."""


def seed(context) -> None:
    """Called by physed.demo.seed in area order."""
