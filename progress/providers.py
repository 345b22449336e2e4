"""What progress plugs into (filled by the goals area): the ``metric`` and ``attendance`` metric
sources (``progress.metrics``), the physed result listener that turns session results into
progress entries, and the after-entry hooks (goal/milestone progress, achievements)."""


def register_providers() -> None:
    """Registers the providers (called from ``ProgressConfig.ready()``)."""
