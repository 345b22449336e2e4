"""Medical reads."""


def restriction_provider(students, on_date) -> dict:
    return {}
