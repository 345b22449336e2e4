"""Demo data: monitoring."""


def seed(context) -> None:
    pass
