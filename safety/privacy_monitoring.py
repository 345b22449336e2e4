"""Personal-data declarations: monitoring."""


def register() -> None:
    pass
