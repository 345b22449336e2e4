"""What assessments plugs into the apps below it (filled by the fitness area): the ``fitness``
metric source for goals (``progress.metrics``) and the Healthy-Fitness-Zone gap provider for
activity recommendations (``physed.selectors.adaptation_providers``)."""


def register_providers() -> None:
    """Registers the providers (called from ``AssessmentsConfig.ready()``)."""
