"""Panels the medical area lends to other pages: a link to a student's medical profile (for "My
PE" and the student's PE page) and a compact "what this class needs" card for the class page.
Each checks the request user's access itself and renders nothing for a user who may not see it."""

from django import template

from accounts.permissions import allowed_on_object
from safety.selectors import medical as selectors
from safety.services.medical import today

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("safety/medical/_profile_link.html", takes_context=True)
def medical_profile_link(context, student):
    """``{% medical_profile_link student %}``: a link for staff with ``view_medicalprofile`` in the
    student's school and for the student's guardians."""
    return {"show": selectors.can_view_profile(_user(context), student), "student": student}


@register.inclusion_tag("safety/medical/_class_needs_card.html", takes_context=True)
def class_needs_summary(context, pe_class):
    """``{% class_needs_summary pe_class %}``: how many students of the class have needs (and how
    many an emergency risk) and a link to the class needs page. Counts only, no names, so the
    card is not an audited read; the needs page it links to is."""
    user = _user(context)
    if user is None or not user.is_authenticated:
        return {"show": False}
    if not allowed_on_object(user, selectors.VIEW_CLASS_NEEDS, pe_class, record=False):
        return {"show": False}
    needs = selectors.class_needs(selectors.class_students(pe_class), today())
    return {
        "show": True,
        "pe_class": pe_class,
        "count": len(needs),
        "danger": sum(1 for item in needs if item.alert_level == "danger"),
    }
