"""Which permission codenames each role holds — data, not scattered ``if role == ...`` checks.

Staff roles inherit downwards: school admin ⊇ department head ⊇ teacher ⊇ assistant.
Student and guardian stand outside the hierarchy. Later issues add their apps' codenames here.
"""

from accounts.models import Role

STAFF_HIERARCHY = [Role.ASSISTANT, Role.TEACHER, Role.DEPARTMENT_HEAD, Role.SCHOOL_ADMIN]

# permissions each role adds on top of the roles below it
_GRANTS: dict[str, set[str]] = {
    Role.ASSISTANT: {"accounts.view_school", "accounts.view_membership"},
    Role.TEACHER: set(),
    Role.DEPARTMENT_HEAD: set(),
    Role.SCHOOL_ADMIN: {
        "accounts.change_school",
        "accounts.add_membership",
        "accounts.change_membership",
        "accounts.delete_membership",
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
