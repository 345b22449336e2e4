"""What assessments plugs into the apps below it: the ``fitness`` metric source for goals
(``progress.metrics``) and the Healthy-Fitness-Zone gap provider for activity recommendations
(``physed.selectors.adaptation_providers``). See docs/assessments-fitness.md."""

from physed.engines.recommendation import Gap

# FitnessGram components → the physed fitness components activities develop. Body composition is
# left out on purpose: activity recommendations never act on students' BMI / body fat.
COMPONENT_MAP = {
    "aerobic": "aerobic",
    "abdominal": "muscular_endurance",
    "upper_body": "muscular_endurance",
    "trunk": "muscular_endurance",
    "flexibility": "flexibility",
}
BELOW = ("NI", "NI-HR")


def fitness_metrics(school):
    """MetricInfo per active test visible to the school (body composition only when the school
    records it)."""
    from assessments.selectors.fitness import tests_for_school
    from assessments.services.fitness import settings_for
    from progress.metrics import MetricInfo

    if school is None:
        return []
    body = settings_for(school).record_body_composition
    return [
        MetricInfo(
            key=f"fitness.{test.code}",
            label=test.name,
            unit=test.unit,
            higher_is_better=test.higher_is_better,
            decimal_places=test.decimal_places,
            min_value=float(test.plausible_min),
            max_value=float(test.plausible_max),
        )
        for test in tests_for_school(school)
        if body or not test.is_body_composition
    ]


def hfz_gaps(students, school, as_of) -> dict[str, Gap]:
    """Per component: the share of students (with a classified result on or before ``as_of``)
    whose latest result on any test of that component is below the HFZ. ``value`` = that share."""
    from assessments.models import FitnessResult

    ids = [student.pk for student in students]
    if not ids:
        return {}
    rows = (
        FitnessResult.objects.filter(student_id__in=ids, event__date__lte=as_of, test__is_body_composition=False)
        .exclude(zone="")
        .order_by("event__date", "pk")
        .values_list("student_id", "test_id", "test__component", "zone")
    )
    latest: dict[tuple[int, int], tuple[str, str]] = {}
    for student_id, test_id, component, zone in rows:
        latest[(student_id, test_id)] = (component, zone)
    verdicts: dict[str, dict[int, bool]] = {}
    for (student_id, _test_id), (component, zone) in latest.items():
        target = COMPONENT_MAP.get(component)
        if target is None:
            continue
        per_student = verdicts.setdefault(target, {})
        per_student[student_id] = per_student.get(student_id, False) or zone in BELOW
    gaps = {}
    for component, per_student in verdicts.items():
        total = len(per_student)
        share = sum(per_student.values()) / total
        gaps[component] = Gap(component, share, share, total, "fitness_hfz")
    return gaps


def register_providers() -> None:
    """Registers the providers (called from ``AssessmentsConfig.ready()``)."""
    from physed.selectors.adaptation_providers import register_gap_provider
    from progress.metrics import register_metric_source

    register_metric_source("fitness", fitness_metrics)
    register_gap_provider("fitness_hfz", hfz_gaps)
