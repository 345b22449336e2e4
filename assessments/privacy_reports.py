"""Personal-data declarations: reports (issue 7; filled by the area)."""


def register() -> None:
    """Declares the area's models in the personal-data registry."""
