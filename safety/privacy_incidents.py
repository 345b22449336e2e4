"""Personal-data declarations: incidents."""


def register() -> None:
    pass
