"""Progress's personal-data declarations (DESIGN §5b), registered from ``ProgressConfig.ready()``."""


def register_progress() -> None:
    from progress import privacy_achievements, privacy_goals

    for area in (privacy_goals, privacy_achievements):
        area.register()
