"""Demo data for the profiles area; called by accounts.demo.seed."""


def seed(context: dict) -> None:
    return None
