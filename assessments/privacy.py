"""Assessments' personal-data declarations (DESIGN §5b), registered from ``AssessmentsConfig.ready()``.
Each area declares its models in its own ``privacy_<area>`` module."""


def register_assessments() -> None:
    from assessments import privacy_feedback, privacy_fitness, privacy_reports, privacy_rubrics

    for area in (privacy_fitness, privacy_rubrics, privacy_feedback, privacy_reports):
        area.register()
