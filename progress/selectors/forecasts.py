"""Goal forecasts (issue 7 §4): the goal's values so far → ``progress.engines.forecast`` → a dict
with the projected value at the deadline, its 80 %/95 % prediction intervals, the chance of
reaching the target, "on track" and the explanation lines. See docs/progress-forecasts.md.

``goal_forecast(goal)`` is the contract the goal pages, the at-risk list, the API and reports use.
The caller has already decided the user may see the goal.
"""

import datetime

from django.db.models import Avg
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from progress.engines import forecast as engine
from progress.models import Goal, ProgressEntry


def _own_series(goal: Goal) -> list[tuple[datetime.date, float]]:
    """(date, value) oldest first from the goal's start to its deadline: the student's entries of
    the goal's metric, or for a class goal the class mean per date of its enrolled students."""
    rows = ProgressEntry.objects.filter(
        metric_key=goal.metric_key, date__gte=goal.start_date, date__lte=goal.deadline, school_id=goal.school_id
    )
    if goal.student_id:
        pairs = rows.filter(student_id=goal.student_id).order_by("date", "pk").values_list("date", "value")
        return [(day, float(value)) for day, value in pairs]
    means = (
        rows.filter(student__enrollments__pe_class_id=goal.pe_class_id)
        .values("date")
        .annotate(mean=Avg("value"))
        .order_by("date")
    )
    return [(row["date"], float(row["mean"])) for row in means]


def series_for(goal: Goal) -> list[tuple[datetime.date, float]]:
    """The goal's series from the goals area's ``goal_series`` when it exists, else our own."""
    try:
        from progress.selectors.goals import goal_series
    except ImportError:
        return _own_series(goal)
    points = []
    for point in goal_series(goal):
        if isinstance(point, dict):
            day, value = point.get("date"), point.get("value")
        else:
            day, value = point[0], point[1]
        if day is not None and value is not None:
            points.append((day, float(value)))
    return points


def _fmt(value: float | None, places: int = 1) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def _unit(goal: Goal) -> str:
    return f" {goal.unit}" if goal.unit else ""


def forecast_from_series(goal: Goal, series: list[tuple[datetime.date, float]]) -> dict:
    """The forecast dict for ``goal`` from an already-fetched series (lists use this to batch)."""
    target = float(goal.target)
    start = goal.start_date
    xs = [float((day - start).days) for day, _value in series]
    ys = [value for _day, value in series]
    at = float((goal.deadline - start).days)
    result = engine.forecast(xs, ys, at=at, target=target, higher_is_better=goal.higher_is_better)
    base = {
        "goal": goal.pk,
        "metric_key": goal.metric_key,
        "unit": goal.unit,
        "target": target,
        "deadline": goal.deadline,
        "higher_is_better": goal.higher_is_better,
        "points": result.points,
        "series": [{"date": day, "value": value} for day, value in series],
    }
    if not result.ok:
        if result.reason == engine.NO_FORECAST_ONE_DAY:
            why = _("All %(count)s results are from the same day; a trend needs results on two days at least.") % {
                "count": result.points
            }
        else:
            why = _("No forecast yet: %(count)s result(s) so far, a trend needs at least %(min)s.") % {
                "count": result.points,
                "min": engine.MIN_POINTS,
            }
        return {**base, "available": False, "reason": result.reason, "reasons": [why]}
    low80, high80 = result.intervals[80]
    low95, high95 = result.intervals[95]
    unit = _unit(goal)
    lines = [
        _("Slope %(slope)s%(unit)s/week over %(count)s results (R² %(r2)s).")
        % {
            "slope": f"{result.slope_per_week:+.2f}",
            "unit": unit,
            "count": result.points,
            "r2": _fmt(result.r_squared, 2),
        },
        _("Projected %(value)s%(unit)s on %(date)s (80%% interval %(low)s–%(high)s).")
        % {
            "value": _fmt(result.projected),
            "unit": unit,
            "date": date_format(goal.deadline, "SHORT_DATE_FORMAT"),
            "low": _fmt(low80),
            "high": _fmt(high80),
        },
        _("Target %(target)s%(unit)s → %(chance)s%% chance of reaching it by the deadline.")
        % {"target": _fmt(target), "unit": unit, "chance": round(result.probability * 100)},
    ]
    lines.append(_("On track.") if result.on_track else _("Not on track."))
    return {
        **base,
        "available": True,
        "reason": "",
        "reasons": lines,
        "slope_per_week": round(result.slope_per_week, 4),
        "projected": round(result.projected, 3),
        "interval_80": [round(low80, 3), round(high80, 3)],
        "interval_95": [round(low95, 3), round(high95, 3)],
        "se_prediction": round(result.se_prediction, 4),
        "degrees_of_freedom": result.degrees_of_freedom,
        "r_squared": round(result.r_squared, 4),
        "probability": round(result.probability, 4),
        "on_track": result.on_track,
    }


def goal_forecast(goal: Goal) -> dict:
    """The forecast of one goal (see the module docstring)."""
    return forecast_from_series(goal, series_for(goal))
