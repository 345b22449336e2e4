"""Personal-data declarations: sessions."""


def register() -> None:
    """Register (or exclude with a reason) every sessions model that links to a person."""
