"""Personal-data declarations: movement."""


def register() -> None:
    """Register (or exclude with a reason) every movement model that links to a person."""
