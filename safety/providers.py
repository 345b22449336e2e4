"""Plugs safety into the PE core's hooks (``physed.selectors.adaptation_providers``): medical
restrictions reach the adaptation engine, environment alerts reach session planning and the
recommendation engine. Called from ``SafetyConfig.ready()``."""


def register_providers() -> None:
    from physed.selectors.adaptation_providers import register_environment_provider, register_restriction_provider
    from safety.selectors.environment import environment_alert_provider
    from safety.selectors.medical import restriction_provider

    register_restriction_provider("safety", restriction_provider)
    register_environment_provider("safety", environment_alert_provider)
