"""Demo data: adaptation."""


def seed(context) -> None:
    """Called by physed.demo.seed in area order."""
