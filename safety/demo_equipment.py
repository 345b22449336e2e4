"""Demo data: equipment."""


def seed(context) -> None:
    pass
