"""Navigation for the base layout: links by the user's permissions in the current school."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.selectors import has_school_perm, primary_role, school_roles_for
from accounts.services_session import current_school

# (label, URL name, codename needed in the current school or None for every signed-in user, group).
# Group "main" links sit in the bar; the others fold into a menu each ("School", "Me") so the bar
# fits a phone held in one hand.
# a role set instead of a codename: the link is for users holding one of these roles in the school
FOR_STUDENTS_AND_GUARDIANS = frozenset({"student", "guardian"})

NAV_ITEMS = [
    (_("Dashboard"), "dashboard", None, "main"),
    # physical education core
    (_("Classes"), "class-list", "physed.view_peclass", "main"),
    (_("Students"), "student-list", "physed.view_student", "main"),
    (_("Library"), "activity-list", "physed.view_activity", "main"),
    (_("Movement"), "movement-list", "physed.view_movementanalysis", "main"),
    (_("My PE"), "my-pe", FOR_STUDENTS_AND_GUARDIANS, "main"),
    # safety and risk (the hub lists the areas the user may open)
    (_("Safety"), "safety-home", "safety.view_incident", "main"),
    (_("Incident notices"), "safety-my-incident-notices", frozenset({"guardian"}), "main"),
    # assessments and progress (the hubs list the areas and classes the user may open)
    (_("Assessments"), "assessments-home", "assessments.view_testevent", "main"),
    (_("Progress"), "progress-home", "progress.view_goal", "main"),
    (_("Reports"), "assessments-my-reports", FOR_STUDENTS_AND_GUARDIANS, "main"),
    # content library (students: published items shared with their classes)
    (_("Content"), "content-home", "content.view_contentitem", "main"),
    (_("Class materials"), "content-home", frozenset({"student"}), "main"),
    # the teaching assistant and what it remembers about the person
    (_("Assistant"), "assistant-home", "assistant.use_assistant", "main"),
    # school administration
    (_("People"), "people", "accounts.view_membership", "school"),
    (_("Directory"), "directory", "accounts.view_user", "school"),
    (_("Roles"), "roles", "accounts.view_customrole", "school"),
    (_("Permissions"), "permission-matrix", "accounts.view_permissiondecisionstat", "school"),
    (_("Audit log"), "audit-log", "accounts.view_auditevent", "school"),
    (_("Flagged sessions"), "security-flagged-sessions", "accounts.view_usersession", "school"),
    (_("Locked accounts"), "security-lockouts", "accounts.unlock_user", "school"),
    (_("Analytics"), "analytics", "accounts.view_analytics", "school"),
    (_("Data management"), "data-management", "accounts.import_people", "school"),
    # the signed-in person
    (_("Profile"), "profile", None, "me"),
    (_("Settings"), "settings", None, "me"),
    (_("Notifications"), "notifications", None, "me"),
    (_("My activity"), "my-activity", None, "me"),
    (_("Devices"), "security-devices", None, "me"),
    (_("My data"), "my-data", None, "me"),
    (_("What the assistant remembers"), "memory-list", "assistant.use_assistant", "me"),
]
NAV_GROUPS = [("school", _("School")), ("me", _("Me"))]


def _shown(user, perm, school, roles) -> bool:
    if perm is None:
        return True
    if school is None:
        return False
    if isinstance(perm, frozenset):
        return bool(perm & roles)
    return has_school_perm(user, perm, school.pk)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "current_school": None, "user_schools": []}
    school = current_school(request)
    roles = school_roles_for(user).get(school.pk, frozenset()) if school else frozenset()
    current = getattr(getattr(request, "resolver_match", None), "url_name", None)
    items = [
        {"label": label, "url": reverse(name), "name": name, "group": group, "current": name == current}
        for label, name, perm, group in NAV_ITEMS
        if _shown(user, perm, school, roles)
    ]
    if user.is_staff:
        items.append({"label": _("Admin"), "url": reverse("admin:index"), "name": "admin", "group": "school"})
    items.append({"label": _("API docs"), "url": reverse("swagger-ui"), "name": "swagger-ui", "group": "me"})
    groups = []
    for key, label in NAV_GROUPS:
        members = [item for item in items if item["group"] == key]
        if members:
            groups.append({"label": label, "items": members, "current": any(i.get("current") for i in members)})
    return {
        "nav_items": items,
        "nav_main": [item for item in items if item["group"] == "main"],
        "nav_groups": groups,
        "current_school": school,
        "current_role": primary_role(roles),
        "user_schools": list(getattr(request, "user_schools", [])),
    }
