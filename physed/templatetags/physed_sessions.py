"""Panels the sessions area lends to other pages (class page, student page)."""

from django import template

register = template.Library()


@register.inclusion_tag("physed/sessions/_class_panel.html", takes_context=True)
def class_sessions_panel(context, pe_class):
    return {"request": context.get("request"), "pe_class": pe_class}


@register.inclusion_tag("physed/sessions/_student_panel.html", takes_context=True)
def student_sessions_panel(context, student):
    return {"request": context.get("request"), "student": student}
