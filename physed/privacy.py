"""The PE core's personal-data declarations (DESIGN §5b), registered from ``PhysedConfig.ready()``.
Each area adds its models in its own function below."""


def register_physed() -> None:
    register_roster()
    register_sessions()
    register_movement()
    register_adaptation()


def register_roster() -> None:
    pass


def register_sessions() -> None:
    pass


def register_movement() -> None:
    pass


def register_adaptation() -> None:
    pass
