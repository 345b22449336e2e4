"""Reads about users, schools, memberships and effective permissions. Every function takes the
requesting user.

Effective permissions per school = the built-in roles' codenames (``accounts.roles``) ∪ the
codenames of active custom-role assignments. Staff roles count only for users whose email is
verified. The result is cached per user under a global version key that every role, assignment,
membership or grant change bumps (``bump_permission_version``), so a change is visible on the next
request; the cache entry also expires no later than the next membership/assignment start or end,
so an expiry takes effect at once. Within a request the result is memoised on the user object.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import STAFF_ROLES, Membership, Role, RoleAssignment, School
from accounts.roles import CATALOGUE, permissions_for_roles, staff_rank
from config.versioned_cache import bump_version, current_version_and_entry, store_entry

_MEMO = "_pe_school_access"
VERSION_KEY = "perm:version"


@dataclass(frozen=True)
class SchoolAccess:
    roles: frozenset[str]
    custom_roles: tuple[str, ...]
    permissions: frozenset[str]


def bump_permission_version() -> None:
    """Call after any change to roles, assignments, memberships or object grants."""
    bump_version(VERSION_KEY)


def _compute_access(user) -> tuple[dict[int, SchoolAccess], int]:
    now = timezone.now()
    ttl = settings.PERMISSION_CACHE_SECONDS
    horizon = now + timedelta(seconds=ttl)
    roles: dict[int, set[str]] = {}
    boundaries = []
    rows = Membership.objects.filter(user=user).exclude(valid_until__lte=now)
    for school_id, role, valid_from, valid_until in rows.values_list("school_id", "role", "valid_from", "valid_until"):
        boundaries += [moment for moment in (valid_from, valid_until) if moment and now < moment < horizon]
        if valid_from > now:
            continue
        if role in STAFF_ROLES and not user.email_verified_at:
            continue  # unverified accounts get no staff features
        roles.setdefault(school_id, set()).add(role)

    custom: dict[int, list[tuple[str, list[str]]]] = {}
    assignments = (
        RoleAssignment.objects.active(now)
        .filter(membership__user=user, membership__valid_from__lte=now)
        .exclude(membership__valid_until__lte=now)
        .values_list("membership__school_id", "custom_role__name", "custom_role__permissions", "valid_until")
    )
    for school_id, name, perms, valid_until in assignments:
        if valid_until and valid_until < horizon:
            boundaries.append(valid_until)
        custom.setdefault(school_id, []).append((name, perms or []))

    access = {}
    for school_id in set(roles) | set(custom):
        base = roles.get(school_id, set())
        extra = {codename for _name, perms in custom.get(school_id, []) for codename in perms if codename in CATALOGUE}
        access[school_id] = SchoolAccess(
            roles=frozenset(base),
            custom_roles=tuple(sorted(name for name, _perms in custom.get(school_id, []))),
            permissions=permissions_for_roles(base) | frozenset(extra),
        )
    if boundaries:
        ttl = max(1, min(ttl, int((min(boundaries) - now).total_seconds())))
    return access, ttl


def school_access_for(user) -> dict[int, SchoolAccess]:
    """{school_id: SchoolAccess} for the user's current memberships — from the per-request memo,
    else the cache (no query), else the database (two queries)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    memo = getattr(user, _MEMO, None)
    if memo is not None:
        return memo
    key = f"perm:user:{user.pk}"
    version, access = current_version_and_entry(VERSION_KEY, key)  # one cache round trip
    if access is None:
        access, ttl = _compute_access(user)
        store_entry(key, version, access, timeout=ttl)
    setattr(user, _MEMO, access)
    return access


def forget_school_access(user) -> None:
    if hasattr(user, _MEMO):
        delattr(user, _MEMO)


def school_roles_for(user) -> dict[int, frozenset[str]]:
    return {school_id: access.roles for school_id, access in school_access_for(user).items()}


def school_ids_for(user) -> list[int]:
    return sorted(school_access_for(user))


def roles_in(user, school_id: int) -> frozenset[str]:
    access = school_access_for(user).get(school_id)
    return access.roles if access else frozenset()


def permissions_in(user, school_id: int) -> frozenset[str]:
    access = school_access_for(user).get(school_id)
    return access.permissions if access else frozenset()


def has_school_perm(user, perm: str, school_id: int) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return perm in permissions_in(user, school_id)


def has_perm_in_any_school(user, perm: str) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(perm in access.permissions for access in school_access_for(user).values())


def schools_where(user, perm: str) -> list[int]:
    return [school_id for school_id in school_ids_for(user) if has_school_perm(user, perm, school_id)]


def primary_role(roles) -> str | None:
    """The most senior staff role, else student/guardian — used to pick a dashboard."""
    staff = [role for role in roles if staff_rank(role)]
    if staff:
        return max(staff, key=staff_rank)
    for role in (Role.GUARDIAN, Role.STUDENT):
        if role in roles:
            return role
    return None


def schools_for(user):
    return School.objects.visible_to(user).order_by("name")


def members_of(school, roles=STAFF_ROLES):
    """Active users holding a current membership in ``school`` (a School or its id) in one of
    ``roles`` — staff by default — ordered by name. The one answer to "who may be picked as an
    owner, a teacher, a participant" and "who gets the school's notices"."""
    from accounts.models import User

    current = Membership.objects.active().filter(school=school, role__in=roles).values("user_id")
    return User.objects.filter(pk__in=current, is_active=True).order_by("last_name", "first_name", "email", "pk")


def memberships_visible_to(user):
    return Membership.objects.visible_to(user).select_related("user", "school")
