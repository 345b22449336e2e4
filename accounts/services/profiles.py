"""Profile writes: personal details, privacy settings, profile picture, staff id and staff
verification. Keyword-only, atomic, audited (audit rows name the fields changed, never the
personal values themselves)."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.images import AvatarError, process_avatar
from accounts.models import STAFF_ROLES, Membership, Profile, School, StaffRecord, User
from accounts.selectors import has_school_perm
from accounts.selectors_profiles import default_directory_opt_out
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError

USER_FIELDS = ("first_name", "last_name")
PROFILE_FIELDS = (
    "preferred_name",
    "pronouns",
    "title",
    "phone",
    "bio",
    "directory_opt_out",
    "email_visibility",
    "phone_visibility",
    "picture_visibility",
    "bio_visibility",
)


def _primary_school(user: User) -> School | None:
    row = Membership.objects.active().filter(user=user).select_related("school").order_by("school_id").first()
    return row.school if row else None


@transaction.atomic
def profile_for(user: User) -> Profile:
    """The user's profile, created with defaults on first use. Students and guardians start
    hidden from the directory (minors' privacy by default)."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        pass
    hidden = default_directory_opt_out(user)
    profile, _created = Profile.objects.get_or_create(user=user, defaults={"directory_opt_out": hidden})
    user.profile = profile
    return profile


@transaction.atomic
def update_user_profile(*, actor, user: User, school: School | None = None, **fields) -> User:
    """Updates names (on the user) and profile fields. ``actor`` is the user themself or a school
    admin of ``school``; the audit row names the changed fields only."""
    unknown = set(fields) - set(USER_FIELDS) - set(PROFILE_FIELDS)
    if unknown:
        raise ServiceError(_("Unknown profile fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    profile = profile_for(user)
    changed_user = [name for name in USER_FIELDS if name in fields and getattr(user, name) != fields[name]]
    changed_profile = [name for name in PROFILE_FIELDS if name in fields and getattr(profile, name) != fields[name]]
    for name in changed_user:
        setattr(user, name, fields[name])
    for name in changed_profile:
        setattr(profile, name, fields[name])
    if changed_profile:
        try:
            profile.full_clean(exclude=["user"])
        except ValidationError as exc:
            name, messages = next(iter(exc.message_dict.items()))
            raise ServiceError(messages[0], field=name) from exc
        profile.save(update_fields=[*changed_profile, "updated_at"])
    if changed_user:
        user.save(update_fields=changed_user)
    if changed_user or changed_profile:
        record_event(
            "profile.updated",
            actor=actor,
            school=school or _primary_school(user),
            target=user,
            changes={"fields": sorted(changed_user + changed_profile), "by_self": actor.pk == user.pk},
        )
    return user


def _check_admin(actor, perm: str, school: School) -> None:
    if not has_school_perm(actor, perm, school.pk):
        raise ServiceError(_("You may not do this in this school."), code="permission_denied", status=403)


@transaction.atomic
def set_staff_id(*, actor, user: User, school: School, staff_id: str) -> StaffRecord:
    """The school's own id for a member (unique within the school; blank clears it)."""
    _check_admin(actor, "accounts.change_user", school)
    staff_id = staff_id.strip()
    record, _created = StaffRecord.objects.select_for_update().get_or_create(user=user, school=school)
    if record.staff_id == staff_id:
        return record
    before = record.staff_id
    record.staff_id = staff_id
    try:
        with transaction.atomic():
            record.save(update_fields=["staff_id", "updated_at"])
    except IntegrityError as exc:
        raise ServiceError(_("Another member of this school already has this staff id."), field="staff_id") from exc
    record_event(
        "profile.staff_id_changed",
        actor=actor,
        school=school,
        target=user,
        changes={"staff_id": {"before": before, "after": staff_id}},
    )
    return record


@transaction.atomic
def set_staff_verification(*, actor, user: User, school: School, verified: bool = True) -> StaffRecord:
    """A school admin verifies (or withdraws the verification of) a staff member of the school."""
    _check_admin(actor, "accounts.verify_staff", school)
    if verified and not Membership.objects.active().filter(user=user, school=school, role__in=STAFF_ROLES).exists():
        raise ServiceError(_("Only current staff of this school can be verified as staff."), code="not_staff")
    record, _created = StaffRecord.objects.select_for_update().get_or_create(user=user, school=school)
    if record.is_verified == verified:
        return record
    record.verified_at = timezone.now() if verified else None
    record.verified_by = actor if verified else None
    record.save(update_fields=["verified_at", "verified_by", "updated_at"])
    record_event(
        "profile.staff_verified" if verified else "profile.staff_verification_removed",
        actor=actor,
        school=school,
        target=user,
        changes={"verified": {"before": not verified, "after": verified}},
    )
    return record


def _delete_files(names) -> None:
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)


@transaction.atomic
def set_avatar(*, actor, user: User, upload) -> Profile:
    """Validates and re-encodes the picture, stores every size under a fresh unguessable name and
    removes the previous files. Nothing is stored when the picture is refused."""
    try:
        rendered = process_avatar(upload)
    except AvatarError as exc:
        raise ServiceError(exc.message, field="file", code=exc.code) from exc
    profile = profile_for(user)
    old = [profile.avatar_small, profile.avatar_large]
    token = secrets.token_urlsafe(24)
    saved = {}
    try:
        for size, content in rendered.items():
            name = f"{settings.AVATAR_STORAGE_PREFIX}/{token}-{size}.webp"
            saved[size] = default_storage.save(name, ContentFile(content))
        profile.avatar_small, profile.avatar_large = saved["small"], saved["large"]
        profile.avatar_updated_at = timezone.now()
        profile.save(update_fields=["avatar_small", "avatar_large", "avatar_updated_at", "updated_at"])
    except Exception:
        _delete_files(saved.values())
        raise
    _delete_files(old)
    record_event(
        "profile.avatar_changed", actor=actor, school=_primary_school(user), target=user, changes={"replaced": any(old)}
    )
    return profile


@transaction.atomic
def remove_avatar(*, actor, user: User) -> Profile:
    profile = profile_for(user)
    old = [profile.avatar_small, profile.avatar_large]
    if not any(old):
        return profile
    profile.avatar_small = profile.avatar_large = ""
    profile.avatar_updated_at = timezone.now()
    profile.save(update_fields=["avatar_small", "avatar_large", "avatar_updated_at", "updated_at"])
    _delete_files(old)
    record_event("profile.avatar_removed", actor=actor, school=_primary_school(user), target=user, changes={})
    return profile


@transaction.atomic
def deactivate_member(*, actor, user: User) -> int:
    """A school admin deactivates an account. Refused for oneself, for platform staff, and for
    members of another school the admin does not administer (the account is global)."""
    from accounts.services.auth import deactivate_user

    if actor.pk == user.pk:
        raise ServiceError(_("You cannot deactivate your own account here."), code="self")
    if user.is_staff or user.is_superuser:
        raise ServiceError(_("Platform staff accounts are managed by operators."), code="permission_denied", status=403)
    schools = set(Membership.objects.active().filter(user=user).values_list("school_id", flat=True))
    if not actor.is_superuser and any(not has_school_perm(actor, "accounts.change_user", sid) for sid in schools):
        raise ServiceError(
            _("This person also belongs to a school you do not administer."), code="permission_denied", status=403
        )
    return deactivate_user(user=user, actor=actor)


def purge_orphaned_avatars(*, older_than_seconds: int = 3600) -> list[str]:
    """Deletes picture files no profile points to (left by a crash between storing and saving),
    skipping recent files that an upload in progress may still claim. Returns the names deleted."""
    prefix = settings.AVATAR_STORAGE_PREFIX
    try:
        _dirs, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return []
    names = {f"{prefix}/{name}" for name in files}
    used = set(Profile.objects.filter(avatar_small__in=names).values_list("avatar_small", flat=True))
    used |= set(Profile.objects.filter(avatar_large__in=names).values_list("avatar_large", flat=True))
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    deleted = []
    for name in sorted(names - used):
        try:
            modified = default_storage.get_modified_time(name)
        except (NotImplementedError, OSError):
            continue
        if modified <= cutoff:
            default_storage.delete(name)
            deleted.append(name)
    return deleted
