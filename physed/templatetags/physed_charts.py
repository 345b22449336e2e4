"""``{% render_chart chart %}``: the SVG and, under a disclosure, the numbers behind it."""

from django import template

register = template.Library()


@register.inclusion_tag("includes/chart.html")
def render_chart(chart):
    return {"chart": chart}
