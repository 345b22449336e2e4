"""``{% open_incidents_card school %}``: the school's open incident reports for dashboards.
Renders nothing for a user who may not see incidents in that school."""

from django import template

from accounts.selectors import has_school_perm
from safety.selectors.incidents import open_incidents

register = template.Library()
CARD_LIMIT = 5


@register.inclusion_tag("safety/incidents/_open_incidents_card.html", takes_context=True)
def open_incidents_card(context, school):
    request = context.get("request")
    user = getattr(request, "user", None)
    if school is None or user is None or not user.is_authenticated:
        return {"show": False}
    if not (user.is_superuser or has_school_perm(user, "safety.view_incident", school.pk)):
        return {"show": False}
    rows = open_incidents(school)
    return {"show": True, "incidents": list(rows[:CARD_LIMIT]), "total": rows.count(), "request": request}
