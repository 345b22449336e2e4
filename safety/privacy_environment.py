"""Personal-data declarations: environment."""


def register() -> None:
    pass
