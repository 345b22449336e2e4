"""Personal-data declarations for memories (DESIGN §5b): filled in by the memory area."""


def register() -> None:
    pass
