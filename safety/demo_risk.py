"""Demo data: risk."""


def seed(context) -> None:
    pass
