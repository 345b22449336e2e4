"""Demo data: incidents."""


def seed(context) -> None:
    pass
