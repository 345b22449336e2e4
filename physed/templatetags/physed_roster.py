"""Dashboard panels from the roster area: a teacher's classes meeting today, and the "My PE"
card of a student or guardian (their linked students)."""

from django import template
from django.utils import timezone

from accounts.services_session import current_school
from physed.selectors import roster as selectors

register = template.Library()


@register.inclusion_tag("physed/roster/_today_panel.html", takes_context=True)
def todays_classes_panel(context):
    request = context.get("request")
    school = current_school(request) if request else None
    if request is None or school is None:
        return {"meetings": [], "school": None}
    today = timezone.localdate()
    return {
        "meetings": selectors.todays_classes(request.user, school, today),
        "mine": selectors.class_list(request.user, school).filter(teachers=request.user).count(),
        "today": today,
        "school": school,
    }


@register.inclusion_tag("physed/roster/_my_pe_panel.html", takes_context=True)
def my_pe_panel(context):
    request = context.get("request")
    students = list(selectors.linked_students(request.user)) if request else []
    return {"students": students}
