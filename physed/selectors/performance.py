"""Performance analytics: a student's trend per metric and a class's distribution and average
over time (the numbers behind the charts and the ``performance`` endpoints).

Trend: ordinary least squares of value on time in weeks since the first result,
``slope = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)²`` in metric units per week, with R². The metric's direction turns
the slope into *improvement per week* (``slope`` when higher is better, ``−slope`` when lower is
better). Fewer points than ``min_points_for_trend`` → "insufficient data"; an improvement smaller
than ``steady_fraction_per_week`` × |mean| → "steady". Distribution: each student's latest
value in the range; mean, median, quartiles (inclusive method) and an equal-width histogram.
"""

import datetime
import statistics
from collections import defaultdict

from django.db.models import Count

from physed.models import MetricType, PerformanceResult, SessionStatus
from physed.services.metrics_data import analytics_settings


def _round(value: float | None, places: int = 3) -> float | None:
    return None if value is None else round(value, places)


def linear_trend(points: list[tuple[datetime.date, float]]) -> dict:
    """OLS fit of value on weeks since the first point: slope per week, intercept, R², n."""
    n = len(points)
    if n < 2:
        return {"n": n, "slope_per_week": None, "intercept": None, "r2": None}
    first = min(day for day, _value in points)
    xs = [(day - first).days / 7 for day, _value in points]
    ys = [float(value) for _day, value in points]
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        return {"n": n, "slope_per_week": None, "intercept": None, "r2": None}
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    ss_tot = sum((y - mean_y) ** 2 for y in ys)
    ss_res = sum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys, strict=True))
    r2 = 1 - ss_res / ss_tot if ss_tot else 1.0
    return {"n": n, "slope_per_week": slope, "intercept": intercept, "r2": r2}


def direction(metric: MetricType, fit: dict, mean: float | None) -> tuple[str, float | None]:
    """("improving" | "declining" | "steady" | "insufficient_data", improvement per week)."""
    settings = analytics_settings()
    slope = fit["slope_per_week"]
    if slope is None or fit["n"] < settings["min_points_for_trend"]:
        return "insufficient_data", None
    improvement = slope if metric.higher_is_better else -slope
    if abs(improvement) <= settings["steady_fraction_per_week"] * abs(mean or 0):
        return "steady", improvement
    return ("improving" if improvement > 0 else "declining"), improvement


def metric_payload(metric: MetricType) -> dict:
    return {
        "id": metric.pk,
        "code": metric.code,
        "name": metric.name,
        "unit": metric.unit,
        "higher_is_better": metric.higher_is_better,
    }


def metrics_recorded_for_student(student) -> list[tuple[MetricType, int]]:
    """(metric, number of results) for the student, most recorded first."""
    counts = (
        PerformanceResult.objects.filter(student=student)
        .values("metric")
        .annotate(n=Count("pk"))
        .order_by("-n", "metric")
    )
    by_id = {row["metric"]: row["n"] for row in counts}
    metrics = MetricType.objects.in_bulk(list(by_id))
    return [(metrics[pk], n) for pk, n in by_id.items()]


def student_metric_trend(student, metric: MetricType) -> dict:
    rows = list(
        PerformanceResult.objects.filter(student=student, metric=metric)
        .exclude(session__status=SessionStatus.CANCELLED)
        .order_by("session__date", "session__start_time", "session_id")
        .values_list("session_id", "session__date", "session__pe_class__name", "value")
    )
    points = [
        {"session": session_id, "date": day, "pe_class": class_name, "value": float(value)}
        for session_id, day, class_name, value in rows
    ]
    values = [point["value"] for point in points]
    fit = linear_trend([(point["date"], point["value"]) for point in points])
    mean = statistics.fmean(values) if values else None
    label, improvement = direction(metric, fit, mean)
    best = (max(values) if metric.higher_is_better else min(values)) if values else None
    return {
        "student": student.pk,
        "metric": metric_payload(metric),
        "points": points,
        "n": len(points),
        "mean": _round(mean),
        "best": best,
        "first": values[0] if values else None,
        "latest": values[-1] if values else None,
        "slope_per_week": _round(fit["slope_per_week"], 4),
        "improvement_per_week": _round(improvement, 4),
        "r2": _round(fit["r2"]),
        "direction": label,
    }


def summary_stats(values: list[float]) -> dict:
    if not values:
        return {"n": 0, "mean": None, "median": None, "q1": None, "q3": None, "min": None, "max": None}
    ordered = sorted(values)
    if len(ordered) > 1:
        q1, _q2, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    else:
        q1 = q3 = ordered[0]
    return {
        "n": len(ordered),
        "mean": _round(statistics.fmean(ordered)),
        "median": _round(statistics.median(ordered)),
        "q1": _round(q1),
        "q3": _round(q3),
        "min": ordered[0],
        "max": ordered[-1],
    }


def histogram(values: list[float], bins: int | None = None) -> list[dict]:
    """Equal-width bins from min to max (the last bin includes max)."""
    if not values:
        return []
    bins = bins or analytics_settings()["histogram_bins"]
    low, high = min(values), max(values)
    if low == high:
        return [{"low": low, "high": high, "count": len(values)}]
    width = (high - low) / bins
    counts = [0] * bins
    for value in values:
        counts[min(int((value - low) / width), bins - 1)] += 1
    return [
        {"low": _round(low + i * width), "high": _round(low + (i + 1) * width), "count": count}
        for i, count in enumerate(counts)
    ]


def class_performance(pe_class, metric: MetricType, *, start=None, end=None) -> dict:
    """Distribution of each student's latest value (in the date range) and the class mean per session."""
    results = (
        PerformanceResult.objects.filter(session__pe_class=pe_class, metric=metric)
        .exclude(session__status=SessionStatus.CANCELLED)
        .order_by("session__date", "session__start_time", "session_id")
    )
    if start is not None:
        results = results.filter(session__date__gte=start)
    if end is not None:
        results = results.filter(session__date__lte=end)
    rows = list(results.values_list("session_id", "session__date", "student_id", "value"))
    latest: dict[int, float] = {}
    per_session: dict[int, dict] = {}
    session_values: dict[int, list[float]] = defaultdict(list)
    for session_id, day, student_id, value in rows:
        latest[student_id] = float(value)
        per_session.setdefault(session_id, {"session": session_id, "date": day})
        session_values[session_id].append(float(value))
    over_time = [
        {**info, "n": len(session_values[pk]), "mean": _round(statistics.fmean(session_values[pk]))}
        for pk, info in per_session.items()
    ]
    values = list(latest.values())
    fit = linear_trend([(row["date"], row["mean"]) for row in over_time])
    label, improvement = direction(metric, fit, statistics.fmean(values) if values else None)
    return {
        "pe_class": pe_class.pk,
        "metric": metric_payload(metric),
        "distribution": summary_stats(values),
        "histogram": histogram(values),
        "over_time": over_time,
        "slope_per_week": _round(fit["slope_per_week"], 4),
        "improvement_per_week": _round(improvement, 4),
        "direction": label,
    }
