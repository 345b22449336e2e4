"""The server-side SVG charts (physed/charts.py): geometry, labels escaped, data table, empty
states and the ``render_chart`` tag."""

import datetime
import re

from django.template import Context, Template

from physed.charts import HEIGHT, PAD_BOTTOM, PAD_LEFT, PAD_TOP, WIDTH, Band, Series, bar_chart, line_chart


def _points(svg: str) -> list[tuple[float, float]]:
    match = re.search(r'<polyline class="line series-0" points="([^"]+)"', svg)
    return [tuple(map(float, pair.split(","))) for pair in match.group(1).split()]


def test_line_chart_maps_dates_and_values_into_the_plot():
    day = datetime.date(2026, 9, 7)
    chart = line_chart(
        [Series("Laps", [(day, 10), (day + datetime.timedelta(days=7), 20), (day + datetime.timedelta(days=14), 30)])],
        title="PACER",
        y_label="laps",
    )
    assert not chart.empty
    points = _points(chart.svg)
    assert points[0][0] == PAD_LEFT and points[-1][0] == WIDTH - 16
    # equal steps in x and y for a straight line
    assert round(points[1][0] - points[0][0], 1) == round(points[2][0] - points[1][0], 1)
    assert points[0][1] > points[1][1] > points[2][1]  # higher values are drawn higher (smaller y)
    assert all(PAD_TOP <= y <= HEIGHT - PAD_BOTTOM for _x, y in points)
    assert chart.columns == ["", "Laps"] and [row[1] for row in chart.rows] == ["10", "20", "30"]
    assert 'role="img"' in chart.svg and 'aria-label="PACER laps"' in chart.svg
    assert chart.svg.count("<circle") == 3


def test_labels_are_escaped():
    chart = line_chart([Series("<script>x</script>", [(1, 1), (2, 2)])], title='"><svg onload=1>')
    assert "<script>" not in chart.svg and "&lt;script&gt;" in chart.svg
    assert "onload=1>" not in chart.svg
    bars = bar_chart([("<b>", 3)], title="t")
    assert "<b>" not in bars.svg


def test_gaps_and_multiple_series_get_a_legend():
    chart = line_chart([Series("A", [(1, 5), (2, None), (3, 7)]), Series("B", [(1, 1), (3, 2)])], title="Two")
    assert 'class="legend series-0"' in chart.svg and 'class="legend series-1"' in chart.svg
    assert len(_points(chart.svg)) == 2  # the gap is skipped
    assert chart.rows[1] == ["2", "", ""]


def test_single_point_and_flat_series_do_not_divide_by_zero():
    chart = line_chart([Series("One", [(datetime.date(2026, 1, 1), 4)])], title="One point")
    assert "<circle" in chart.svg
    flat = line_chart([Series("Flat", [(1, 0), (2, 0)])], title="Flat")
    assert "nan" not in flat.svg.lower()


def test_bands_are_drawn_behind_the_lines():
    chart = line_chart([Series("Rate", [(1, 50), (2, 90)])], title="Rate", bands=[Band(0, 80, "Below 80%", "warn")])
    assert chart.svg.index("band band-warn") < chart.svg.index("<polyline")
    assert "<title>Below 80%</title>" in chart.svg


def test_empty_charts_show_the_message():
    chart = line_chart([Series("x", [])], title="Nothing", empty_message="No data yet")
    assert chart.empty and "No data yet" in chart.svg and chart.rows == []
    assert bar_chart([], title="Nothing", empty_message="Empty").empty


def test_bar_heights_are_proportional():
    chart = bar_chart([("a", 2), ("b", 4), ("c", 0)], title="Bars", y_label="students")
    heights = [
        float(h)
        for h in re.findall(r'<rect class="bar series-0" x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"', chart.svg)
    ]
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    assert heights == [plot_h / 2, plot_h, 0.0]
    assert chart.rows == [["a", "2"], ["b", "4"], ["c", "0"]]
    all_zero = bar_chart([("a", 0)], title="Zero")
    assert 'height="0.0"' in all_zero.svg


def test_render_chart_tag_outputs_svg_and_table():
    chart = bar_chart([("Present", 3), ("Absent", 1)], title="Statuses", y_label="sessions")
    html = Template("{% load physed_charts %}{% render_chart chart %}").render(Context({"chart": chart}))
    assert "<figcaption>Statuses</figcaption>" in html and "<svg" in html
    assert '<th scope="row">Absent</th><td>1</td>' in html
    assert "style=" not in html and "<script" not in html
