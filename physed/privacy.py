"""The PE core's personal-data declarations (DESIGN §5b), registered from ``PhysedConfig.ready()``.
Each area declares its models in its own ``privacy_<area>`` module."""


def register_physed() -> None:
    from physed import privacy_adaptation, privacy_library, privacy_movement, privacy_roster, privacy_sessions

    for area in (privacy_roster, privacy_sessions, privacy_library, privacy_movement, privacy_adaptation):
        area.register()
