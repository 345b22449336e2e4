"""Demo data: environment."""


def seed(context) -> None:
    pass
