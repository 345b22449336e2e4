"""Demo data: sessions."""


def seed(context) -> None:
    """Called by physed.demo.seed in area order."""
