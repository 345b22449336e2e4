"""Personal-data declarations: risk."""


def register() -> None:
    pass
