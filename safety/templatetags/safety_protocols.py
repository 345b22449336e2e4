"""Panels the protocols area lends to other pages: the department dashboard's overdue-drills card
and a review-state badge. Each checks the request user's permission and renders nothing otherwise."""

from django import template
from django.utils import timezone

from accounts.selectors import has_school_perm
from safety.selectors.protocols import overdue_drills

register = template.Library()

VIEW_PROCEDURE = "safety.view_emergencyprocedure"


@register.inclusion_tag("safety/protocols/_overdue_drills_card.html", takes_context=True)
def overdue_drills_card(context, school):
    """``{% overdue_drills_card school %}``: procedures whose drill is due or overdue (or that were
    never drilled), for users who may see emergency procedures in ``school``."""
    request = context.get("request")
    user = getattr(request, "user", None)
    allowed = bool(
        school is not None
        and user is not None
        and user.is_authenticated
        and (user.is_superuser or has_school_perm(user, VIEW_PROCEDURE, school.pk))
    )
    today = timezone.localdate()
    rows = overdue_drills(school, today) if allowed else []
    return {
        "allowed": allowed,
        "rows": [{"procedure": p, "due": due, "days": (today - due).days if due else None} for p, due in rows],
    }


@register.inclusion_tag("safety/protocols/_review_badge.html")
def review_badge(state):
    return {"state": state}


@register.inclusion_tag("safety/protocols/_drill_badge.html")
def drill_badge(state):
    return {"state": state}
