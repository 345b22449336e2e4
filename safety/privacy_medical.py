"""Personal-data declarations: medical."""


def register() -> None:
    pass
