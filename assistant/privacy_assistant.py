"""Personal-data declarations for the assistant (DESIGN §5b): filled in by the pages/admin area."""


def register() -> None:
    pass
