"""Demo data for the privacy area; called by accounts.demo.seed."""


def seed(context: dict) -> None:
    return None
