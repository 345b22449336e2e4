"""Personal-data declarations: content items, versions, comments, views, shares (filled in by the
sharing area)."""


def register() -> None:
    pass
