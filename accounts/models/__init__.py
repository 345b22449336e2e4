from accounts.models.audit import AuditEvent, AuditEventImmutable
from accounts.models.core import STAFF_ROLES, Membership, Role, School, User, UserManager
from accounts.models.notifications import Notification
from accounts.models.rbac import CustomRole, PermissionDecisionStat, RoleAssignment
from accounts.models.sessions import SessionKind, UserSession

__all__ = [
    "STAFF_ROLES",
    "AuditEvent",
    "AuditEventImmutable",
    "CustomRole",
    "Membership",
    "Notification",
    "PermissionDecisionStat",
    "Role",
    "RoleAssignment",
    "School",
    "SessionKind",
    "User",
    "UserManager",
    "UserSession",
]

# user-system areas: each module lists its models in its own __all__
from accounts.models.activity import *  # noqa: F403
from accounts.models.preferences import *  # noqa: F403
from accounts.models.privacy import *  # noqa: F403
from accounts.models.profiles import *  # noqa: F403
