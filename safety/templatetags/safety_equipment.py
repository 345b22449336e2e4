"""Panels equipment lends to other pages: the equipment flags of a planned session (for the
session planner) and an attention card for dashboards. Each checks the request user's
permission itself and renders nothing for a user who may not see equipment."""

from django import template

from accounts.permissions import allowed_on_object
from accounts.selectors import has_school_perm
from safety.selectors import equipment as selectors

register = template.Library()

VIEW = "safety.view_equipmentitem"


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("safety/equipment/_session_flags.html", takes_context=True)
def session_equipment_flags(context, session):
    """``{% session_equipment_flags session %}``: items needed by the session's planned
    activities that are flagged, out of service or overdue for inspection."""
    user = _user(context)
    if user is None or not user.is_authenticated or not allowed_on_object(user, VIEW, session, record=False):
        return {"show": False}
    return {"show": True, "session": session, "flags": selectors.flags_for_session(session)}


@register.inclusion_tag("safety/equipment/_attention_card.html", takes_context=True)
def equipment_attention_card(context, school):
    """``{% equipment_attention_card school %}``: counts and the worst items needing attention."""
    user = _user(context)
    if school is None or user is None or not user.is_authenticated or not has_school_perm(user, VIEW, school.pk):
        return {"show": False}
    return {"show": True, "summary": selectors.attention_summary(school)}
