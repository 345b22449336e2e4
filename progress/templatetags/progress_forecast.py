"""``{% goal_forecast goal %}``: a goal's forecast — projected value at the deadline, the 80 %
interval, the chance of reaching the target, the reasons and a small inline SVG (results, the
fitted line to the deadline, the interval as a band, the target as a dashed line).
The caller has already decided the user may see the goal."""

from django import template
from django.utils.html import format_html, format_html_join

from progress.selectors.forecasts import goal_forecast as build_forecast

register = template.Library()
WIDTH, HEIGHT, PAD = 320, 120, 10


def forecast_svg(goal, forecast: dict):
    """The small band chart, or "" when there is no forecast."""
    if not forecast.get("available"):
        return ""
    start = goal.start_date
    span = max((goal.deadline - start).days, 1)
    points = [((p["date"] - start).days, p["value"]) for p in forecast["series"]]
    low95, high95 = forecast["interval_95"]
    low80, high80 = forecast["interval_80"]
    values = [v for _x, v in points] + [low95, high95, forecast["target"], forecast["projected"]]
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    first_x = min(x for x, _v in points)
    slope_day = forecast["slope_per_week"] / 7
    first_y = forecast["projected"] - slope_day * (span - first_x)

    def sx(x) -> str:
        return f"{PAD + max(0, min(x, span)) / span * (WIDTH - 2 * PAD):.1f}"

    def sy(y) -> str:
        return f"{HEIGHT - PAD - (y - low) / (high - low) * (HEIGHT - 2 * PAD):.1f}"

    last_x, last_v = points[-1]
    band = format_html(
        '<polygon class="forecast-band" points="{},{} {},{} {},{}"></polygon>',
        sx(last_x),
        sy(last_v),
        sx(span),
        sy(high80),
        sx(span),
        sy(low80),
    )
    line = format_html(
        '<line class="forecast-line" x1="{}" y1="{}" x2="{}" y2="{}"></line>',
        sx(first_x),
        sy(first_y),
        sx(span),
        sy(forecast["projected"]),
    )
    target = format_html(
        '<line class="forecast-target" x1="{}" y1="{}" x2="{}" y2="{}"></line>',
        PAD,
        sy(forecast["target"]),
        WIDTH - PAD,
        sy(forecast["target"]),
    )
    dots = format_html_join(
        "",
        '<circle class="forecast-point" cx="{}" cy="{}" r="3"><title>{}</title></circle>',
        ((sx(x), sy(v), f"{v:g}") for x, v in points),
    )
    return format_html(
        '<svg class="chart forecast-chart" viewBox="0 0 {} {}" role="img" aria-hidden="true" focusable="false">'
        "{}{}{}{}</svg>",
        WIDTH,
        HEIGHT,
        band,
        target,
        line,
        dots,
    )


@register.inclusion_tag("progress/forecasts/_goal_forecast.html")
def goal_forecast(goal, forecast=None):
    forecast = forecast if forecast is not None else build_forecast(goal)
    chance = round(forecast["probability"] * 100) if forecast.get("available") else None
    return {"goal": goal, "forecast": forecast, "chance": chance, "svg": forecast_svg(goal, forecast)}
