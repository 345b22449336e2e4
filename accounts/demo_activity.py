"""Demo data for the activity area; called by accounts.demo.seed."""


def seed(context: dict) -> None:
    return None
