"""Demo data: protocols."""


def seed(context) -> None:
    pass
