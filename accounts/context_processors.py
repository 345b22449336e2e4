"""Navigation for the base layout: links by the user's roles in the current school."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.selectors import primary_role, school_roles_for
from accounts.services_session import current_school


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "current_school": None, "user_schools": []}
    school = current_school(request)
    roles = school_roles_for(user).get(school.pk, frozenset()) if school else frozenset()
    items = [{"label": _("Dashboard"), "url": reverse("dashboard"), "name": "dashboard"}]
    if user.is_staff:
        items.append({"label": _("Admin"), "url": reverse("admin:index"), "name": "admin"})
    items.append({"label": _("API docs"), "url": reverse("swagger-ui"), "name": "api-docs"})
    return {
        "nav_items": items,
        "current_school": school,
        "current_role": primary_role(roles),
        "user_schools": list(request.user_schools) if hasattr(request, "user_schools") else [],
    }
