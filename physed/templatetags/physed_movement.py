"""Panels the movement area lends to other pages (student page)."""

from django import template

from accounts.permissions import allowed_on_object
from physed.selectors import movement as selectors
from physed.services.movement import ADD
from physed.views_movement_charts import history_chart

register = template.Library()
PANEL_ROWS = 5


@register.inclusion_tag("physed/movement/_student_panel.html", takes_context=True)
def student_movement_panel(context, student):
    """The student's latest analyses and score trend, for whoever may see them (nothing otherwise)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not selectors.can_view_student_analyses(user, student):
        return {"request": request, "student": student, "visible": False}
    rows = list(selectors.student_analyses(user, student)[:20])
    return {
        "request": request,
        "student": student,
        "visible": True,
        "latest": rows[:PANEL_ROWS],
        "chart": history_chart(rows),
        "can_add": allowed_on_object(user, ADD, student, record=False),
    }
