"""Demo data for the preferences area; called by accounts.demo.seed."""


def seed(context: dict) -> None:
    return None
