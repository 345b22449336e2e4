"""Personal-data declarations: roster."""


def register() -> None:
    """Register (or exclude with a reason) every roster model that links to a person."""
