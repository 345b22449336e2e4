"""Safety's personal-data declarations (DESIGN §5b), registered from ``SafetyConfig.ready()``.
Each area declares its models in its own ``privacy_<area>`` module."""


def register_safety() -> None:
    from safety import (
        privacy_environment,
        privacy_equipment,
        privacy_incidents,
        privacy_medical,
        privacy_monitoring,
        privacy_protocols,
        privacy_risk,
    )

    for area in (
        privacy_medical,
        privacy_protocols,
        privacy_risk,
        privacy_incidents,
        privacy_equipment,
        privacy_environment,
        privacy_monitoring,
    ):
        area.register()
