"""Reads about profiles: who may see which profile field, the school directory, staff
verification. Every function takes the requesting user (the viewer).

Privacy rule (one place, used by the API serializers and the pages): the owner always sees every
field; otherwise a field set to "only me" is hidden, "staff of my school" is shown to viewers who
hold a staff role in a school where the owner has a current membership, and "everyone in my
school" to anyone with a current membership in such a school. Platform superusers see everything.
"""

from django.db.models import Prefetch, Q

from accounts.models import STAFF_ROLES, FieldVisibility, Membership, Profile, StaffRecord, User
from accounts.selectors import has_school_perm, roles_in, school_ids_for

PRIVATE_FIELDS = ("email", "phone", "picture", "bio")
AVATAR_SIZES = ("small", "large")


def with_profile_data(queryset):
    """The joins/prefetches the serializers and pages need, so a list is a fixed number of queries."""
    return queryset.select_related("profile").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.active().order_by("school_id", "role"),
            to_attr="current_memberships",
        ),
        Prefetch("staff_records", queryset=StaffRecord.objects.order_by("school_id"), to_attr="all_staff_records"),
    )


def users_visible_to(viewer):
    return with_profile_data(User.objects.visible_to(viewer))


def current_school_ids(target) -> set[int]:
    rows = getattr(target, "current_memberships", None)
    if rows is None:
        return set(Membership.objects.active().filter(user=target).values_list("school_id", flat=True))
    return {row.school_id for row in rows}


def default_directory_opt_out(user) -> bool:
    """Students and guardians (no staff role anywhere) start hidden from the directory."""
    rows = getattr(user, "current_memberships", None)
    if rows is None:
        roles = set(Membership.objects.active().filter(user=user).values_list("role", flat=True))
    else:
        roles = {row.role for row in rows}
    return bool(roles) and not roles & set(STAFF_ROLES)


def profile_of(target) -> Profile:
    """The target's profile, or an unsaved one with the defaults (nothing is written on a read)."""
    try:
        return target.profile
    except Profile.DoesNotExist:
        return Profile(user=target, directory_opt_out=default_directory_opt_out(target))


def shared_school_ids(viewer, target) -> set[int]:
    return set(school_ids_for(viewer)) & current_school_ids(target)


def can_see(viewer, target, visibility: str) -> bool:
    if viewer is None or not viewer.is_authenticated:
        return False
    if viewer.pk == target.pk or viewer.is_superuser:
        return True
    if visibility == FieldVisibility.ONLY_ME:
        return False
    shared = shared_school_ids(viewer, target)
    if visibility == FieldVisibility.SCHOOL:
        return bool(shared)
    return any(roles_in(viewer, school_id) & set(STAFF_ROLES) for school_id in shared)


def can_see_field(viewer, target, field: str) -> bool:
    profile = profile_of(target)
    return can_see(viewer, target, getattr(profile, f"{field}_visibility"))


def can_see_avatar(viewer, target) -> bool:
    return profile_of(target).has_avatar and can_see_field(viewer, target, "picture")


def staff_records_for(target):
    rows = getattr(target, "all_staff_records", None)
    if rows is None:
        rows = list(StaffRecord.objects.filter(user=target).order_by("school_id"))
    return rows


def is_verified_staff(user, school_id: int) -> bool:
    """True when a school admin has verified ``user`` as staff in ``school_id`` and the user still
    holds a current staff role there. For actions later issues mark "verified staff only"."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if not roles_in(user, school_id) & set(STAFF_ROLES):
        return False
    return any(record.school_id == school_id and record.is_verified for record in staff_records_for(user))


def verified_school_ids(target) -> set[int]:
    return {record.school_id for record in staff_records_for(target) if record.is_verified}


def schools_where_viewer_may(viewer, perm: str, target) -> list[int]:
    """Schools shared by viewer and target where the viewer holds ``perm`` (sorted)."""
    if viewer.is_superuser:
        return sorted(current_school_ids(target))
    return sorted(sid for sid in shared_school_ids(viewer, target) if has_school_perm(viewer, perm, sid))


def directory_for(viewer, school):
    """Members of ``school`` listed in its directory: active users with a current membership who
    did not opt out. Students and guardians appear only once they have a profile that does not
    opt out (minors are hidden by default); staff appear unless they opt out."""
    if school is None or not has_school_perm(viewer, "accounts.view_user", school.pk):
        return User.objects.none()
    current = Membership.objects.active().filter(school=school)
    staff = current.filter(role__in=STAFF_ROLES).values("user_id")
    listed = Q(profile__isnull=True, pk__in=staff) | Q(profile__directory_opt_out=False)
    return with_profile_data(
        User.objects.filter(pk__in=current.values("user_id"))
        .filter(listed)
        .order_by("last_name", "first_name", "email")
    )
