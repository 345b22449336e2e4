"""Personal-data declarations: protocols."""


def register() -> None:
    pass
