"""Environment reads."""


def environment_alert_provider(school, on_date, space=None) -> list:
    return []
