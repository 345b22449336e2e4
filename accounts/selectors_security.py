"""Reads for sessions, flagged sessions and lockouts, always for a requesting user.

Visibility follows the project's rule: platform staff see everything; a school member sees the
sessions/lockouts of the members of their own schools only, and only acts on them with the
permission in a school they share with that person. Someone outside all of the requester's
schools is "not found" (404), a shared school without the permission is "forbidden" (403).
"""

from dataclasses import dataclass

from axes.models import AccessAttempt

from accounts.models import Membership, School, User, UserSession
from accounts.selectors import has_school_perm, school_ids_for
from accounts.services import lockout as lockout_service

VIEW_SESSIONS = "accounts.view_usersession"
CHANGE_SESSIONS = "accounts.change_usersession"
UNLOCK = "accounts.unlock_user"

FOUND, FORBIDDEN, MISSING = "found", "forbidden", "missing"


def is_platform_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))


def permitted_school_ids(user, perm: str) -> list[int]:
    return [school_id for school_id in school_ids_for(user) if has_school_perm(user, perm, school_id)]


def may_use(user, perm: str) -> bool:
    """Whether the user may open the list at all (else 403)."""
    return is_platform_staff(user) or bool(permitted_school_ids(user, perm))


def _members_of(school_ids):
    return Membership.objects.active().filter(school_id__in=school_ids).values("user_id")


@dataclass
class Decision:
    outcome: str  # FOUND, FORBIDDEN or MISSING
    school: School | None = None  # the shared school the action is filed under (audit)


def decide_for_member(requester, target_user_id: int | None, perm: str) -> Decision:
    if is_platform_staff(requester):
        shared = (
            Membership.objects.active().filter(user_id=target_user_id).select_related("school").order_by("pk").first()
        )
        return Decision(FOUND, shared.school if shared else None)
    if target_user_id is None:
        return Decision(MISSING)
    mine = set(school_ids_for(requester))
    theirs = list(
        Membership.objects.active()
        .filter(user_id=target_user_id, school_id__in=mine)
        .order_by("school_id")
        .values_list("school_id", flat=True)
        .distinct()
    )
    if not theirs:
        return Decision(MISSING)
    for school_id in theirs:
        if has_school_perm(requester, perm, school_id):
            return Decision(FOUND, School.objects.get(pk=school_id))
    return Decision(FORBIDDEN)


# --- own sessions ---------------------------------------------------------------------------


def own_sessions(user):
    return UserSession.objects.active().filter(user=user).order_by("-last_seen_at", "-pk")


# --- flagged sessions -----------------------------------------------------------------------


def flagged_sessions_for(user):
    sessions = UserSession.objects.active().filter(flagged_at__isnull=False).select_related("user")
    if not is_platform_staff(user):
        sessions = sessions.filter(user_id__in=_members_of(permitted_school_ids(user, VIEW_SESSIONS)))
    return sessions.order_by("-flagged_at", "-pk")


def flagged_session_for_action(
    user, session_id: int, perm: str = CHANGE_SESSIONS
) -> tuple[UserSession | None, Decision]:
    session = (
        UserSession.objects.active().filter(pk=session_id, flagged_at__isnull=False).select_related("user").first()
    )
    if session is None:
        return None, Decision(MISSING)
    decision = decide_for_member(user, session.user_id, perm)
    return (session if decision.outcome == FOUND else None), decision


# --- lockouts -------------------------------------------------------------------------------


def _attempts_visible_to(user):
    if is_platform_staff(user):
        return AccessAttempt.objects.all()
    emails = User.objects.filter(pk__in=_members_of(permitted_school_ids(user, UNLOCK))).values("email")
    return AccessAttempt.objects.filter(username__in=emails)


def lockouts_for(user) -> list[lockout_service.Lockout]:
    return lockout_service.active_lockouts(_attempts_visible_to(user))


def lockout_for_action(user, lockout_id: int) -> tuple[lockout_service.Lockout | None, Decision]:
    attempt = AccessAttempt.objects.filter(pk=lockout_id).first()
    if attempt is None:
        return None, Decision(MISSING)
    lockout = next(iter(lockout_service.active_lockouts(AccessAttempt.objects.filter(pk=lockout_id))), None)
    if lockout is None:
        return None, Decision(MISSING)
    target = (
        User.objects.filter(email__iexact=attempt.username).values_list("pk", flat=True).first()
        if attempt.username
        else None
    )
    decision = decide_for_member(user, target, UNLOCK)
    return (lockout if decision.outcome == FOUND else None), decision
