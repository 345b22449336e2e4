"""Charts for the movement pages (server-side SVG through ``physed.charts``)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from physed.charts import Band, Series, bar_chart, line_chart
from physed.models import Movement
from physed.selectors.movement import score_trend

SERIES_LABELS = {
    "knee": gettext_lazy("Knee angle (mean)"),
    "knee_left": gettext_lazy("Left knee angle"),
    "knee_right": gettext_lazy("Right knee angle"),
    "knee_min": gettext_lazy("Most bent knee"),
    "hip": gettext_lazy("Hip angle (mean)"),
    "elbow": gettext_lazy("Elbow angle (mean)"),
    "shoulder": gettext_lazy("Arm–trunk angle (mean)"),
    "hip_abduction": gettext_lazy("Leg angle from vertical (mean)"),
    "trunk_lean": gettext_lazy("Trunk lean from vertical"),
    "body_line": gettext_lazy("Shoulder–hip–ankle line"),
    "neck_flexion": gettext_lazy("Neck flexion"),
    "hip_height": gettext_lazy("Hip height (percent of standing height)"),
}


def series_label(name: str) -> str:
    return str(SERIES_LABELS.get(name, name.replace("_", " ")))


def _points(times, values):
    return [(t, v) for t, v in zip(times, values, strict=False) if v is not None]


def analysis_charts(analysis) -> dict:
    results = analysis.results or {}
    series = results.get("series", {})
    times = series.get("t", [])
    primary = results.get("primary", {})
    name = primary.get("series", "")
    charts = {}
    if name in series:
        unit = "%" if name == "hip_height" else "°"
        low, high = primary.get("good_band", [None, None])
        bands = []
        if low is not None:
            bands.append(Band(low, high, _("Target zone at the bottom"), "good"))
        for key, label in (("enter", _("Counts a repetition")), ("exit", _("Back at the top"))):
            if key in primary:
                bands.append(Band(primary[key] - 0.75, primary[key] + 0.75, label, "neutral"))
        charts["primary"] = line_chart(
            [Series(series_label(name), _points(times, series[name]))],
            title=series_label(name),
            y_label=unit,
            bands=bands,
            empty_message=_("No data."),
        )
    others = [key for key in series if key not in ("t", name)]
    if others:
        charts["secondary"] = line_chart(
            [Series(series_label(key), _points(times, series[key])) for key in others],
            title=_("Other angles over time"),
            y_label="°",
            empty_message=_("No data."),
        )
    reps = results.get("reps", [])
    charts["rom"] = bar_chart(
        [(f"#{rep['index']}", rep["rom"]["range"]) for rep in reps],
        title=_("Range of motion per repetition"),
        y_label="°",
        empty_message=_("No repetitions found."),
    )
    return charts


def history_chart(analyses):
    trend = score_trend(analyses)
    labels = dict(Movement.choices)
    return line_chart(
        [Series(str(labels.get(movement, movement)), points) for movement, points in trend.items()],
        title=_("Form score over time"),
        y_label=_("score"),
        bands=[Band(80, 100, _("Good form"), "good")],
        empty_message=_("No scored analyses yet."),
    )
