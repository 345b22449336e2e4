"""Reads about users, schools and memberships. Every function takes the requesting user."""

from collections import defaultdict

from accounts.models import Membership, Role, School
from accounts.roles import permissions_for_roles, staff_rank

_MEMO = "_pe_school_roles"


def school_roles_for(user) -> dict[int, frozenset[str]]:
    """{school_id: roles} of the user's current memberships, memoised on the user object so one
    request costs one query however many checks it makes."""
    if user is None or not user.is_authenticated:
        return {}
    memo = getattr(user, _MEMO, None)
    if memo is None:
        grouped: dict[int, set[str]] = defaultdict(set)
        for school_id, role in Membership.objects.active().filter(user=user).values_list("school_id", "role"):
            grouped[school_id].add(role)
        memo = {school_id: frozenset(roles) for school_id, roles in grouped.items()}
        setattr(user, _MEMO, memo)
    return memo


def forget_school_roles(user) -> None:
    if hasattr(user, _MEMO):
        delattr(user, _MEMO)


def school_ids_for(user) -> list[int]:
    return sorted(school_roles_for(user))


def roles_in(user, school_id: int) -> frozenset[str]:
    return school_roles_for(user).get(school_id, frozenset())


def permissions_in(user, school_id: int) -> frozenset[str]:
    return permissions_for_roles(roles_in(user, school_id))


def has_school_perm(user, perm: str, school_id: int) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return perm in permissions_in(user, school_id)


def has_perm_in_any_school(user, perm: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(perm in permissions_for_roles(roles) for roles in school_roles_for(user).values())


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


def memberships_visible_to(user):
    return Membership.objects.visible_to(user).select_related("user", "school")
