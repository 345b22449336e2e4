"""Roles and permissions: memberships, custom roles, their assignment, and permission analytics.

Rules every write here enforces (an actor of ``None`` is the system itself, e.g. ``seed_demo``):
* the actor holds the needed codename in the school concerned (403 otherwise);
* nobody grants more than they hold: a role's codenames must be a subset of the actor's own in
  that school;
* the last school admin of a school cannot be removed or downgraded;
* every change writes an audit row and bumps the permission-cache version.
"""

import atexit
import threading
import time
from collections import Counter
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import CustomRole, Membership, PermissionDecisionStat, Role, RoleAssignment, School, User
from accounts.roles import CATALOGUE, ROLE_PERMISSIONS
from accounts.selectors import bump_permission_version, has_school_perm, permissions_in, primary_role
from accounts.services.audit import diff, record_event
from accounts.services.errors import ServiceError
from accounts.services.notifications import announce_role_change

STAT_PREFIX = "permstat"
STAT_TTL = 3 * 24 * 3600


def _forbidden(message: str) -> ServiceError:
    return ServiceError(message, code="permission_denied", status=403)


def _require(actor, perm: str, school: School) -> None:
    if actor is not None and not has_school_perm(actor, perm, school.pk):
        raise _forbidden(_("You do not have permission to do this in this school."))


def _require_subset(actor, codenames, school: School) -> None:
    if actor is None or actor.is_superuser:
        return
    missing = set(codenames) - permissions_in(actor, school.pk)
    if missing:
        raise _forbidden(
            _("You cannot grant permissions you do not hold: %(perms)s") % {"perms": ", ".join(sorted(missing))}
        )


def _validate_codenames(codenames) -> list[str]:
    unknown = sorted(set(codenames) - set(CATALOGUE))
    if unknown:
        raise ServiceError(_("Unknown permissions: %(perms)s") % {"perms": ", ".join(unknown)}, field="permissions")
    return sorted(set(codenames))


def _membership_snapshot(membership: Membership) -> dict:
    return {
        "user": membership.user.email,
        "role": membership.role,
        "valid_from": membership.valid_from.isoformat() if membership.valid_from else None,
        "valid_until": membership.valid_until.isoformat() if membership.valid_until else None,
    }


def _ensure_admin_remains(membership: Membership, *, new_role: str | None = None, ending: bool = False) -> None:
    if membership.role != Role.SCHOOL_ADMIN or (new_role == Role.SCHOOL_ADMIN and not ending):
        return
    others = (
        Membership.objects.active()
        .filter(school=membership.school, role=Role.SCHOOL_ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )
    if not others:
        raise ServiceError(_("A school must keep at least one school admin."), field="role", code="last_admin")


def _check_period(valid_from, valid_until) -> None:
    if valid_until is not None and valid_until <= (valid_from or timezone.now()):
        raise ServiceError(_("The end must be after the start."), field="valid_until")


# --- memberships -----------------------------------------------------------------------------
@transaction.atomic
def add_membership(
    *, actor: User | None, school: School, user: User, role: str, valid_from=None, valid_until=None
) -> Membership:
    """Gives ``user`` a role in ``school`` (or updates the period of the same role)."""
    if role not in Role.values:
        raise ServiceError(_("Unknown role."), field="role")
    _require(actor, "accounts.add_membership", school)
    _require_subset(actor, ROLE_PERMISSIONS[role], school)
    _check_period(valid_from, valid_until)
    defaults = {"valid_until": valid_until}
    if valid_from is not None:
        defaults["valid_from"] = valid_from
    membership, created = Membership.objects.update_or_create(user=user, school=school, role=role, defaults=defaults)
    record_event(
        "membership.created" if created else "membership.updated",
        actor=actor,
        school=school,
        target=membership,
        changes={"after": _membership_snapshot(membership)},
    )
    if created and actor is not None:  # a person granted it (the system seeding demo data does not notify)
        announce_role_change(membership)
    bump_permission_version()
    return membership


@transaction.atomic
def change_membership(*, actor: User | None, membership: Membership, **fields) -> Membership:
    """Changes the role and/or the period of a membership."""
    allowed = {"role", "valid_from", "valid_until"}
    if set(fields) - allowed:
        raise ServiceError(_("Only role, valid_from and valid_until can change."))
    school = membership.school
    _require(actor, "accounts.change_membership", school)
    new_role = fields.get("role", membership.role)
    if new_role not in Role.values:
        raise ServiceError(_("Unknown role."), field="role")
    _require_subset(actor, ROLE_PERMISSIONS[new_role] | ROLE_PERMISSIONS[membership.role], school)
    ends_now = "valid_until" in fields and fields["valid_until"] is not None and fields["valid_until"] <= timezone.now()
    _ensure_admin_remains(membership, new_role=new_role, ending=ends_now)
    _check_period(fields.get("valid_from", membership.valid_from), fields.get("valid_until", membership.valid_until))
    before = _membership_snapshot(membership)
    for name, value in fields.items():
        setattr(membership, name, value)
    membership.save()
    record_event(
        "membership.updated",
        actor=actor,
        school=school,
        target=membership,
        changes=diff(before, _membership_snapshot(membership)),
    )
    if before != _membership_snapshot(membership):
        announce_role_change(membership)
    bump_permission_version()
    return membership


@transaction.atomic
def remove_membership(*, actor: User | None, membership: Membership) -> None:
    school = membership.school
    _require(actor, "accounts.delete_membership", school)
    _require_subset(actor, ROLE_PERMISSIONS[membership.role], school)
    _ensure_admin_remains(membership, ending=True)
    record_event(
        "membership.deleted",
        actor=actor,
        school=school,
        target=membership,
        changes={"before": _membership_snapshot(membership)},
    )
    membership.delete()
    bump_permission_version()


# --- custom roles ----------------------------------------------------------------------------
@transaction.atomic
def create_custom_role(
    *, actor: User | None, school: School, name: str, permissions, description: str = ""
) -> CustomRole:
    _require(actor, "accounts.add_customrole", school)
    codenames = _validate_codenames(permissions)
    _require_subset(actor, codenames, school)
    if CustomRole.objects.filter(school=school, name__iexact=name.strip()).exists():
        raise ServiceError(_("This school already has a role with that name."), field="name")
    role = CustomRole.objects.create(school=school, name=name.strip(), description=description, permissions=codenames)
    record_event(
        "rbac.role_created",
        actor=actor,
        school=school,
        target=role,
        target_label=role.name,
        changes={"after": {"name": role.name, "permissions": codenames}},
    )
    bump_permission_version()
    return role


@transaction.atomic
def update_custom_role(*, actor: User | None, role: CustomRole, **fields) -> CustomRole:
    if set(fields) - {"name", "description", "permissions"}:
        raise ServiceError(_("Only name, description and permissions can change."))
    school = role.school
    _require(actor, "accounts.change_customrole", school)
    before = {"name": role.name, "description": role.description, "permissions": list(role.permissions)}
    if "permissions" in fields:
        fields["permissions"] = _validate_codenames(fields["permissions"])
        _require_subset(actor, set(fields["permissions"]) | set(role.permissions), school)
    if "name" in fields:
        fields["name"] = fields["name"].strip()
        clash = CustomRole.objects.filter(school=school, name__iexact=fields["name"]).exclude(pk=role.pk)
        if clash.exists():
            raise ServiceError(_("This school already has a role with that name."), field="name")
    for name, value in fields.items():
        setattr(role, name, value)
    role.save()
    after = {"name": role.name, "description": role.description, "permissions": list(role.permissions)}
    record_event(
        "rbac.role_updated",
        actor=actor,
        school=school,
        target=role,
        target_label=role.name,
        changes=diff(before, after),
    )
    bump_permission_version()
    return role


@transaction.atomic
def delete_custom_role(*, actor: User | None, role: CustomRole) -> None:
    school = role.school
    _require(actor, "accounts.delete_customrole", school)
    _require_subset(actor, role.permissions, school)
    record_event(
        "rbac.role_deleted",
        actor=actor,
        school=school,
        target=role,
        target_label=role.name,
        changes={
            "before": {"name": role.name, "permissions": list(role.permissions), "holders": role.assignments.count()}
        },
    )
    role.delete()
    bump_permission_version()


# --- assignments -----------------------------------------------------------------------------
@transaction.atomic
def assign_custom_role(
    *, actor: User | None, membership: Membership, custom_role: CustomRole, valid_until=None
) -> RoleAssignment:
    school = membership.school
    if custom_role.school_id != school.pk:
        raise ServiceError(_("The role belongs to another school."), field="custom_role")
    _require(actor, "accounts.add_roleassignment", school)
    _require_subset(actor, custom_role.permissions, school)
    _check_period(None, valid_until)
    assignment, created = RoleAssignment.objects.update_or_create(
        membership=membership,
        custom_role=custom_role,
        defaults={"valid_until": valid_until, "granted_by": actor},
    )
    record_event(
        "rbac.role_assigned" if created else "rbac.assignment_updated",
        actor=actor,
        school=school,
        target=assignment,
        target_label=f"{custom_role.name} → membership #{membership.pk}",
        changes={
            "after": {
                "role": custom_role.name,
                "user": membership.user.email,
                "valid_until": valid_until.isoformat() if valid_until else None,
            }
        },
    )
    bump_permission_version()
    return assignment


@transaction.atomic
def change_assignment(*, actor: User | None, assignment: RoleAssignment, valid_until) -> RoleAssignment:
    school = assignment.membership.school
    _require(actor, "accounts.change_roleassignment", school)
    _require_subset(actor, assignment.custom_role.permissions, school)
    before = assignment.valid_until
    assignment.valid_until = valid_until
    assignment.save(update_fields=["valid_until"])
    record_event(
        "rbac.assignment_updated",
        actor=actor,
        school=school,
        target=assignment,
        changes={
            "valid_until": {
                "before": before.isoformat() if before else None,
                "after": valid_until.isoformat() if valid_until else None,
            }
        },
    )
    bump_permission_version()
    return assignment


@transaction.atomic
def unassign_custom_role(*, actor: User | None, assignment: RoleAssignment) -> None:
    school = assignment.membership.school
    _require(actor, "accounts.delete_roleassignment", school)
    _require_subset(actor, assignment.custom_role.permissions, school)
    record_event(
        "rbac.role_unassigned",
        actor=actor,
        school=school,
        target=assignment,
        changes={"before": {"role": assignment.custom_role.name, "user": assignment.membership.user.email}},
    )
    assignment.delete()
    bump_permission_version()


@transaction.atomic
def delete_expired_assignments(*, now=None) -> int:
    """Scheduled clean-up. Expired rows already grant nothing (checked on read); this removes them
    and records one audit row per school."""
    now = now or timezone.now()
    expired = RoleAssignment.objects.filter(valid_until__lte=now).select_related("membership__school", "custom_role")
    per_school: dict[School, list[str]] = {}
    for assignment in expired:
        per_school.setdefault(assignment.membership.school, []).append(
            f"{assignment.custom_role.name} #{assignment.pk}"
        )
    count = 0
    for school, labels in per_school.items():
        record_event(
            "rbac.assignments_expired",
            school=school,
            target_label=f"{len(labels)} assignment(s)",
            changes={"removed": labels},
        )
        count += len(labels)
    if count:
        RoleAssignment.objects.filter(valid_until__lte=now).delete()
        bump_permission_version()
    return count


# --- permission analytics --------------------------------------------------------------------
def _stat_key(day: date, school_id: int, perm: str, role: str, allowed: bool) -> str:
    return f"{STAT_PREFIX}:{day.isoformat()}:{school_id}:{perm}:{role}:{'a' if allowed else 'd'}"


def stat_roles() -> list[str]:
    return [*Role.values, "custom", "none"]


# Decisions are counted in this process first and added to the cache counters in batches (at most
# every PERMISSION_STATS_BUFFER_SECONDS, or sooner after PERMISSION_STATS_BUFFER_MAX decisions): a
# counter increment per request was one cache round trip on every API call. A process that dies
# loses at most that many seconds of counts (statistics, not an audit trail: the audit log records
# what matters).
_pending: Counter = Counter()
_pending_state = {"since": None, "total": 0}
_pending_lock = threading.Lock()


def record_decision(user, perm: str, school_id: int, allowed: bool) -> None:
    """A cheap counter per day × school × permission × role × outcome."""
    if perm not in CATALOGUE or user is None or not user.is_authenticated:
        return
    from accounts.selectors import school_access_for

    access = school_access_for(user).get(school_id)
    role = primary_role(access.roles) if access else None
    if role is None:
        role = "custom" if access and access.custom_roles else "none"
    key = _stat_key(timezone.localdate(), school_id, perm, role, allowed)
    now = time.monotonic()
    with _pending_lock:
        _pending[key] += 1
        _pending_state["total"] += 1
        since = _pending_state["since"] = _pending_state["since"] or now
        due = (
            now - since >= settings.PERMISSION_STATS_BUFFER_SECONDS
            or _pending_state["total"] >= settings.PERMISSION_STATS_BUFFER_MAX
        )
    if due:
        flush_local_decisions()


def flush_local_decisions() -> int:
    """Adds this process's pending decision counts to the cache counters; returns how many."""
    with _pending_lock:
        batch = dict(_pending)
        _pending.clear()
        _pending_state.update(since=None, total=0)
    for key, count in batch.items():
        try:
            cache.incr(key, count)  # one round trip in the steady state
        except ValueError:  # first decision of the day for this key
            if not cache.add(key, count, timeout=STAT_TTL):
                cache.incr(key, count)
    return sum(batch.values())


atexit.register(flush_local_decisions)


def flush_permission_stats(*, days=None) -> int:
    """Moves the cache counters into PermissionDecisionStat rows (adding to them) and decrements
    the counters by what was moved, so increments made meanwhile are not lost."""
    flush_local_decisions()
    today = timezone.localdate()
    days = days or [today, date.fromordinal(today.toordinal() - 1)]
    moved = 0
    school_ids = list(School.objects.values_list("pk", flat=True))
    for day in days:
        for school_id in school_ids:
            keys = {
                (perm, role, allowed): _stat_key(day, school_id, perm, role, allowed)
                for perm in CATALOGUE
                for role in stat_roles()
                for allowed in (True, False)
            }
            values = cache.get_many(list(keys.values()))
            if not values:
                continue
            totals: dict[tuple[str, str], list[int]] = {}
            for (perm, role, allowed), key in keys.items():
                count = int(values.get(key) or 0)
                if count:
                    totals.setdefault((perm, role), [0, 0])[0 if allowed else 1] += count
                    cache.decr(key, count)
                    moved += count
            for (perm, role), (allowed_count, denied_count) in totals.items():
                stat, _ = PermissionDecisionStat.objects.get_or_create(
                    day=day, school_id=school_id, permission=perm, role=role
                )
                PermissionDecisionStat.objects.filter(pk=stat.pk).update(
                    allowed=F("allowed") + allowed_count, denied=F("denied") + denied_count
                )
    return moved
