"""Demo data: medical."""


def seed(context) -> None:
    pass
