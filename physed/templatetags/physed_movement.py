"""Panels the movement area lends to other pages (student page)."""

from django import template

register = template.Library()


@register.inclusion_tag("physed/movement/_student_panel.html", takes_context=True)
def student_movement_panel(context, student):
    return {"request": context.get("request"), "student": student}
