"""``{% goal_forecast goal %}``: placeholder until the forecasts area provides the real tag
(written by the goals area so the goal page renders; the forecasts helper replaces this file)."""

from django import template

register = template.Library()


@register.simple_tag
def goal_forecast(goal):
    return ""
