"""Personal-data declarations: adaptation."""


def register() -> None:
    """Register (or exclude with a reason) every adaptation model that links to a person."""
