"""Demo data: movement."""


def seed(context) -> None:
    """Called by physed.demo.seed in area order."""
