"""The built-in gap provider: fitness components where students' latest performance metrics sit
below the school median for their grade (see ``physed.engines.recommendation.performance_gaps``)."""

import datetime

from physed.engines import data
from physed.engines.recommendation import performance_gaps
from physed.engines.stats import median
from physed.models import PerformanceResult

LOOKBACK_DAYS = 365


def _latest_values(school, as_of):
    """{student: {metric code: latest value}}, {student: grade}, {code: (component, higher is better)}
    for the whole school (the medians need everyone), one query."""
    rows = (
        PerformanceResult.objects.filter(
            session__pe_class__school=school,
            session__date__lte=as_of,
            session__date__gte=as_of - datetime.timedelta(days=LOOKBACK_DAYS),
        )
        .exclude(metric__fitness_component="")
        .order_by("session__date", "session_id", "pk")
        .values_list(
            "student_id",
            "student__grade",
            "metric__code",
            "metric__fitness_component",
            "metric__higher_is_better",
            "value",
        )
    )
    latest: dict[int, dict[str, float]] = {}
    grades: dict[int, int] = {}
    metrics: dict[str, tuple[str, bool]] = {}
    for student_id, grade, code, component, higher, value in rows:
        latest.setdefault(student_id, {})[code] = float(value)
        grades[student_id] = grade
        metrics[code] = (component, higher)
    return latest, grades, metrics


def school_medians(latest: dict, grades: dict) -> dict:
    by_key: dict[tuple[int, str], list[float]] = {}
    for student_id, values in latest.items():
        for code, value in values.items():
            by_key.setdefault((grades[student_id], code), []).append(value)
    return {key: median(values) for key, values in by_key.items()}


def performance_gap_provider(students, school, as_of) -> dict:
    cfg = data.recommendation_config()["gaps"]
    latest, grades, metrics = _latest_values(school, as_of)
    medians = school_medians(latest, grades)
    wanted = {s.pk for s in students}
    single = len(wanted) == 1
    return performance_gaps(
        {sid: values for sid, values in latest.items() if sid in wanted},
        grades,
        medians,
        metrics,
        min_students=1 if single else cfg["min_students"],
        baseline=0.0 if single else cfg["baseline_share"],
    )
