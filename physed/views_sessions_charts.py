"""Charts for the sessions area, built with ``physed.charts`` from the analytics selectors'
numbers (used by the analytics pages and the class/student panels)."""

from django.utils.translation import gettext as _

from physed.charts import Band, Series, bar_chart, line_chart
from physed.models import AttendanceStatus


def _pct(rate):
    return None if rate is None else round(rate * 100, 1)


def weekly_participation_chart(summary: dict):
    points = [(week["week_start"], _pct(week["participation_rate"])) for week in summary["weeks"]]
    threshold = summary["threshold"] * 100
    return line_chart(
        [Series(_("Participation rate"), points)],
        title=_("Participation per week"),
        y_label="%",
        bands=[Band(0, threshold, _("Below %(threshold)s") % {"threshold": f"{round(threshold)}%"}, "warn")],
        empty_message=_("No attendance recorded in these weeks."),
    )


def status_chart(counts: dict, *, title: str | None = None):
    bars = [(str(label), counts.get(value, 0)) for value, label in AttendanceStatus.choices]
    return bar_chart(
        bars if any(count for _label, count in bars) else [],
        title=title or _("Sessions per status"),
        y_label=_("sessions"),
        empty_message=_("No attendance recorded yet."),
    )


def class_participation_chart(summary: dict):
    points = [(row["date"], _pct(row["participation_rate"])) for row in summary["sessions"]]
    threshold = summary["threshold"] * 100
    return line_chart(
        [Series(_("Participation rate"), points)],
        title=_("Participation per session"),
        y_label="%",
        bands=[Band(0, threshold, _("Below %(threshold)s") % {"threshold": f"{round(threshold)}%"}, "warn")],
        empty_message=_("No attendance recorded yet."),
    )


def student_metric_chart(trend: dict):
    metric = trend["metric"]
    points = [(point["date"], point["value"]) for point in trend["points"]]
    series = [Series(metric["name"], points)]
    if trend["slope_per_week"] is not None and len(points) >= 2:
        first = points[0][0]
        mean_x = sum((day - first).days / 7 for day, _value in points) / len(points)
        mean_y = sum(value for _day, value in points) / len(points)
        intercept = mean_y - trend["slope_per_week"] * mean_x
        fitted = [
            (day, round(intercept + trend["slope_per_week"] * (day - first).days / 7, 2))
            for day in (points[0][0], points[-1][0])
        ]
        series.append(Series(_("Trend"), fitted))
    return line_chart(
        series,
        title=metric["name"],
        y_label=metric["unit"],
        empty_message=_("No results recorded for this metric."),
    )


def histogram_chart(payload: dict):
    metric = payload["metric"]
    bars = [(f"{_num(b['low'])}–{_num(b['high'])}", b["count"]) for b in payload["histogram"]]
    return bar_chart(
        bars,
        title=_("Distribution of latest %(metric)s") % {"metric": metric["name"]},
        y_label=_("students"),
        empty_message=_("No results recorded for this metric."),
    )


def class_average_chart(payload: dict):
    metric = payload["metric"]
    points = [(row["date"], row["mean"]) for row in payload["over_time"]]
    return line_chart(
        [Series(_("Class mean"), points)],
        title=_("Class mean %(metric)s over time") % {"metric": metric["name"]},
        y_label=metric["unit"],
        empty_message=_("No results recorded for this metric."),
    )


def _num(value) -> str:
    value = float(value)
    return str(int(value)) if value == int(value) else f"{value:.1f}"
