"""Navigation for the base layout: links by the user's permissions in the current school."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.selectors import has_school_perm, primary_role, school_roles_for
from accounts.services_session import current_school

# (label, URL name, codename needed in the current school or None for every signed-in user)
NAV_ITEMS = [
    (_("Dashboard"), "dashboard", None),
    (_("People"), "people", "accounts.view_membership"),
    (_("Directory"), "directory", "accounts.view_user"),
    (_("Roles"), "roles", "accounts.view_customrole"),
    (_("Permissions"), "permission-matrix", "accounts.view_permissiondecisionstat"),
    (_("Audit log"), "audit-log", "accounts.view_auditevent"),
    (_("Flagged sessions"), "security-flagged-sessions", "accounts.view_usersession"),
    (_("Locked accounts"), "security-lockouts", "accounts.unlock_user"),
    (_("Devices"), "security-devices", None),
    # physical education core
    (_("Classes"), "class-list", "physed.view_peclass"),
    (_("Students"), "student-list", "physed.view_student"),
    (_("Library"), "activity-list", "physed.view_activity"),
    # user system (URL names each area's pages define)
    (_("Profile"), "profile", None),
    (_("Settings"), "settings", None),
    (_("Notifications"), "notifications", None),
    (_("My activity"), "my-activity", None),
    (_("My data"), "my-data", None),
    (_("Analytics"), "analytics", "accounts.view_analytics"),
    (_("Data management"), "data-management", "accounts.import_people"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "current_school": None, "user_schools": []}
    school = current_school(request)
    roles = school_roles_for(user).get(school.pk, frozenset()) if school else frozenset()
    items = [
        {"label": label, "url": reverse(name), "name": name}
        for label, name, perm in NAV_ITEMS
        if perm is None or (school is not None and has_school_perm(user, perm, school.pk))
    ]
    if user.is_staff:
        items.append({"label": _("Admin"), "url": reverse("admin:index"), "name": "admin"})
    items.append({"label": _("API docs"), "url": reverse("swagger-ui"), "name": "swagger-ui"})
    return {
        "nav_items": items,
        "current_school": school,
        "current_role": primary_role(roles),
        "user_schools": list(getattr(request, "user_schools", [])),
    }
