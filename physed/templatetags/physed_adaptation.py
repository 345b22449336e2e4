"""Panels the adaptation/recommendation area lends to other pages (student page, class page,
live session page)."""

from django import template

register = template.Library()


@register.inclusion_tag("physed/adaptation/_student_panel.html", takes_context=True)
def student_adaptation_panel(context, student):
    return {"request": context.get("request"), "student": student}


@register.inclusion_tag("physed/adaptation/_live_panel.html", takes_context=True)
def live_adaptation_panel(context, session):
    return {"request": context.get("request"), "session": session}


@register.inclusion_tag("physed/adaptation/_recommendations_panel.html", takes_context=True)
def recommendations_panel(context, pe_class, session=None):
    return {"request": context.get("request"), "pe_class": pe_class, "session": session}
