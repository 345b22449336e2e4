"""Personal-data declarations: equipment."""


def register() -> None:
    pass
