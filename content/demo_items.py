"""Content demo items (stub until the demo area lands)."""


def seed(context) -> None:
    pass
