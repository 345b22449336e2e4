"""The permission catalogue and which codenames each built-in role holds — data, not scattered
``if role == ...`` checks.

Staff roles inherit downwards: school admin ⊇ department head ⊇ teacher ⊇ assistant. Student
and guardian stand outside the hierarchy. A school may define custom roles from the catalogue
(``accounts.models.CustomRole``). Later issues add their apps' codenames to ``CATALOGUE`` and
``_GRANTS``.
"""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role

STAFF_HIERARCHY = [Role.ASSISTANT, Role.TEACHER, Role.DEPARTMENT_HEAD, Role.SCHOOL_ADMIN]

# codename → (area, description). Only catalogue codenames can go into custom roles.
CATALOGUE: dict[str, tuple[str, str]] = {
    "accounts.view_school": (_("School"), _("See the school and its settings")),
    "accounts.change_school": (_("School"), _("Change the school's settings")),
    "accounts.view_membership": (_("People"), _("See who holds which role in the school")),
    "accounts.add_membership": (_("People"), _("Add people to the school with a role")),
    "accounts.change_membership": (_("People"), _("Change a person's role or its end date")),
    "accounts.delete_membership": (_("People"), _("Remove a person's role")),
    "accounts.view_customrole": (_("Roles"), _("See the school's custom roles")),
    "accounts.add_customrole": (_("Roles"), _("Create custom roles")),
    "accounts.change_customrole": (_("Roles"), _("Edit custom roles")),
    "accounts.delete_customrole": (_("Roles"), _("Delete custom roles")),
    "accounts.view_roleassignment": (_("Roles"), _("See who holds which custom role")),
    "accounts.add_roleassignment": (_("Roles"), _("Give a custom role to a member")),
    "accounts.change_roleassignment": (_("Roles"), _("Change a custom role assignment's end date")),
    "accounts.delete_roleassignment": (_("Roles"), _("Take a custom role away")),
    "accounts.view_permissiondecisionstat": (_("Roles"), _("See permission analytics")),
    "accounts.view_auditevent": (_("Security"), _("Read the school's audit log")),
    "accounts.view_usersession": (_("Security"), _("See members' sign-in sessions and flagged sessions")),
    "accounts.change_usersession": (_("Security"), _("Revoke members' sessions")),
    "accounts.unlock_user": (_("Security"), _("Unlock members locked out after failed sign-ins")),
    "accounts.view_user": (_("People"), _("See members' profiles in the directory and user list")),
    "accounts.change_user": (_("People"), _("Edit members' profiles and deactivate accounts")),
    "accounts.verify_staff": (_("People"), _("Mark staff members as verified")),
    "accounts.view_analytics": (_("Analytics"), _("See the school's usage analytics and satisfaction results")),
    "accounts.export_member_data": (_("Privacy"), _("Export a member's or student's personal data on request")),
    "accounts.approve_erasure": (_("Privacy"), _("Approve or refuse erasure requests")),
    "accounts.import_people": (_("Privacy"), _("Import staff and student rosters from CSV")),
    "accounts.manage_retention": (_("Privacy"), _("Set how long each kind of data is kept")),
}

# permissions each role adds on top of the roles below it
_GRANTS: dict[str, set[str]] = {
    Role.ASSISTANT: {"accounts.view_school", "accounts.view_membership", "accounts.view_user"},
    Role.TEACHER: set(),
    Role.DEPARTMENT_HEAD: {"accounts.view_customrole", "accounts.view_roleassignment"},
    Role.SCHOOL_ADMIN: {
        "accounts.change_school",
        "accounts.add_membership",
        "accounts.change_membership",
        "accounts.delete_membership",
        "accounts.add_customrole",
        "accounts.change_customrole",
        "accounts.delete_customrole",
        "accounts.add_roleassignment",
        "accounts.change_roleassignment",
        "accounts.delete_roleassignment",
        "accounts.view_permissiondecisionstat",
        "accounts.view_auditevent",
        "accounts.view_usersession",
        "accounts.change_usersession",
        "accounts.unlock_user",
        "accounts.change_user",
        "accounts.verify_staff",
        "accounts.view_analytics",
        "accounts.export_member_data",
        "accounts.approve_erasure",
        "accounts.import_people",
        "accounts.manage_retention",
    },
    Role.STUDENT: {"accounts.view_school"},
    Role.GUARDIAN: {"accounts.view_school"},
}


def _build() -> dict[str, frozenset[str]]:
    result: dict[str, frozenset[str]] = {}
    inherited: set[str] = set()
    for role in STAFF_HIERARCHY:
        inherited |= _GRANTS[role]
        result[role] = frozenset(inherited)
    for role in (Role.STUDENT, Role.GUARDIAN):
        result[role] = frozenset(_GRANTS[role])
    unknown = set().union(*result.values()) - set(CATALOGUE)
    if unknown:
        raise ValueError(f"Role grants name codenames missing from the catalogue: {sorted(unknown)}")
    return result


ROLE_PERMISSIONS = _build()


def permissions_for_roles(roles) -> frozenset[str]:
    perms: set[str] = set()
    for role in roles:
        perms |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(perms)


def staff_rank(role: str) -> int:
    """0 for non-staff roles; higher is more senior."""
    return STAFF_HIERARCHY.index(role) + 1 if role in STAFF_HIERARCHY else 0


def roles_holding(codename: str) -> list[str]:
    return [role for role, perms in ROLE_PERMISSIONS.items() if codename in perms]
