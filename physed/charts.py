"""Server-rendered SVG charts (DESIGN §7: inline SVG, no chart script, no inline style).

Every chart comes with the numbers behind it as a table (``Chart.rows``), shown under a
disclosure for screen readers and anyone who wants the values. Colours come from CSS classes
(``series-0`` … ``series-5``, ``band-<name>``) in static/css/app.css, so themes and
high-contrast mode apply.

    chart = line_chart([Series("Laps", [(date1, 20), (date2, 24)])], title="PACER laps")
    {% load physed_charts %}{% render_chart chart %}
"""

import datetime
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 240
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 48, 16, 16, 32


@dataclass
class Series:
    label: str
    points: list[tuple]  # (x, y): x a number, date or datetime; y a number (None = gap)


@dataclass
class Band:
    """A horizontal band behind the lines, e.g. a zone from ``low`` to ``high``."""

    low: float
    high: float
    label: str
    name: str = "neutral"


@dataclass
class Chart:
    title: str
    svg: SafeString
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    empty: bool = False


def _x_number(x) -> float:
    if isinstance(x, datetime.datetime):
        return x.timestamp() / 86400
    if isinstance(x, datetime.date):
        return float(x.toordinal())
    return float(x)


def _x_label(x) -> str:
    if isinstance(x, datetime.datetime | datetime.date):
        return date_format(x, "SHORT_DATE_FORMAT")
    return _num(x)


def _f(value: float) -> str:
    return f"{value:.1f}"


def _num(value) -> str:
    value = float(value)
    return str(int(value)) if value == int(value) else f"{value:.2f}".rstrip("0").rstrip(".")


def _nice_range(low: float, high: float) -> tuple[float, float]:
    if low == high:
        pad = abs(low) * 0.1 or 1.0
        return low - pad, high + pad
    pad = (high - low) * 0.08
    return low - pad, high + pad


def _ticks(low: float, high: float, count: int = 4) -> list[float]:
    step = (high - low) / count
    return [low + step * i for i in range(count + 1)]


def _empty(title: str, message: str) -> Chart:
    svg = format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}"><text x="{}" y="{}" '
        'class="chart-empty" text-anchor="middle">{}</text></svg>',
        WIDTH,
        80,
        title,
        WIDTH // 2,
        44,
        message,
    )
    return Chart(title=title, svg=svg, empty=True)


def line_chart(
    series: list[Series],
    *,
    title: str,
    y_label: str = "",
    bands: list[Band] = (),
    empty_message: str = "",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Chart:
    """Lines with points for each series over a shared x axis (numbers or dates)."""
    points = [(x, y) for s in series for x, y in s.points if y is not None]
    if not points:
        return _empty(title, empty_message)
    xs = [_x_number(x) for x, _ in points]
    ys = [float(y) for _, y in points] + [v for band in bands for v in (band.low, band.high)]
    x_low, x_high = min(xs), max(xs)
    if x_low == x_high:
        x_low, x_high = x_low - 1, x_high + 1
    y_low, y_high = _nice_range(min(ys), max(ys))
    plot_w, plot_h = width - PAD_LEFT - PAD_RIGHT, height - PAD_TOP - PAD_BOTTOM

    def sx(x) -> float:
        return PAD_LEFT + (_x_number(x) - x_low) / (x_high - x_low) * plot_w

    def sy(y) -> float:
        return PAD_TOP + (1 - (float(y) - y_low) / (y_high - y_low)) * plot_h

    parts: list[str] = []
    for band in bands:
        top, bottom = sy(min(band.high, y_high)), sy(max(band.low, y_low))
        parts.append(
            format_html(
                '<rect class="band band-{}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
                band.name,
                PAD_LEFT,
                _f(top),
                plot_w,
                _f(max(bottom - top, 0)),
                band.label,
            )
        )
    for tick in _ticks(y_low, y_high):
        y = sy(tick)
        parts.append(
            format_html(
                '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>',
                PAD_LEFT,
                width - PAD_RIGHT,
                _f(y),
                _f(y),
                PAD_LEFT - 6,
                _f(y + 4),
                _num(round(tick, 2)),
            )
        )
    x_values = sorted({x for x, _ in points}, key=_x_number)
    for x in (x_values[0], x_values[-1]) if len(x_values) > 1 else x_values:
        parts.append(
            format_html(
                '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
                _f(sx(x)),
                height - 8,
                _x_label(x),
            )
        )
    for index, s in enumerate(series):
        drawn = sorted(((x, y) for x, y in s.points if y is not None), key=lambda p: _x_number(p[0]))
        if not drawn:
            continue
        css = f"series-{index % 6}"
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in drawn)
        parts.append(
            format_html('<polyline class="line {}" points="{}"><title>{}</title></polyline>', css, path, s.label)
        )
        parts.extend(
            format_html(
                '<circle class="dot {}" cx="{}" cy="{}" r="3"><title>{}: {} ({})</title></circle>',
                css,
                _f(sx(x)),
                _f(sy(y)),
                s.label,
                _num(y),
                _x_label(x),
            )
            for x, y in drawn
        )
    legend = format_html_join(
        "",
        '<text class="legend series-{}" x="{}" y="12">{}</text>',
        ((i % 6, PAD_LEFT + i * 140, s.label) for i, s in enumerate(series)),
    )
    svg = format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}">{}{}{}</svg>',
        width,
        height,
        f"{title} {y_label}".strip(),
        legend if len(series) > 1 else "",
        mark_safe("".join(parts)),  # noqa: S308 - every part built with format_html
        format_html('<text class="axis-label" x="4" y="12">{}</text>', y_label) if y_label else "",
    )
    columns = ["", *[s.label for s in series]]
    by_x: dict = {}
    for index, s in enumerate(series):
        for x, y in s.points:
            by_x.setdefault(x, [""] * len(series))[index] = "" if y is None else _num(y)
    rows = [[_x_label(x), *values] for x, values in sorted(by_x.items(), key=lambda kv: _x_number(kv[0]))]
    return Chart(title=title, svg=svg, columns=columns, rows=rows)


def bar_chart(
    bars: list[tuple[str, float]],
    *,
    title: str,
    y_label: str = "",
    empty_message: str = "",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Chart:
    """Vertical bars, one per (label, value): distributions, counts per status, etc."""
    if not bars:
        return _empty(title, empty_message)
    high = max(float(v) for _, v in bars) or 1.0
    plot_w, plot_h = width - PAD_LEFT - PAD_RIGHT, height - PAD_TOP - PAD_BOTTOM
    slot = plot_w / len(bars)
    parts = []
    for index, (label, value) in enumerate(bars):
        bar_h = float(value) / high * plot_h
        x = PAD_LEFT + index * slot + slot * 0.15
        parts.append(
            format_html(
                '<rect class="bar series-0" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title>'
                '</rect><text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
                _f(x),
                _f(PAD_TOP + plot_h - bar_h),
                _f(slot * 0.7),
                _f(bar_h),
                label,
                _num(value),
                _f(x + slot * 0.35),
                height - 8,
                label,
            )
        )
    svg = format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}">{}</svg>',
        width,
        height,
        f"{title} {y_label}".strip(),
        mark_safe("".join(parts)),  # noqa: S308 - every part built with format_html
    )
    return Chart(title=title, svg=svg, columns=["", y_label], rows=[[label, _num(value)] for label, value in bars])
