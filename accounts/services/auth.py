"""Authentication flows: email verification, password reset and change, deactivation.

Answers never reveal whether an email is registered: the resend and reset requests do the same
work whatever the address (one lookup, one audit row, one queued job; the email itself is sent by
the job, after commit, only when there is someone to send it to).
"""

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import sessions as session_service
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from accounts.services.notifications import notify

VERIFY_SALT = "accounts.email-verification"


# --- email verification ---------------------------------------------------------------------


def make_verification_token(user: User) -> str:
    """Signed and timestamped (``EMAIL_VERIFICATION_MAX_AGE``); it names the address too, so a
    link stops working if the account's email changes."""
    return signing.TimestampSigner(salt=VERIFY_SALT).sign_object({"u": user.pk, "e": user.email})


def verification_url(user: User) -> str:
    return settings.SITE_URL + reverse("verify-email", kwargs={"token": make_verification_token(user)})


def queue_verification_email(user: User) -> None:
    from accounts.tasks.sessions import send_verification_email

    transaction.on_commit(lambda: send_verification_email.delay(user.pk))


@transaction.atomic
def verify_email(*, token: str) -> User:
    try:
        data = signing.TimestampSigner(salt=VERIFY_SALT).unsign_object(
            token, max_age=settings.EMAIL_VERIFICATION_MAX_AGE
        )
    except signing.SignatureExpired as exc:
        raise ServiceError(
            _("This verification link has expired. Ask for a new one."), field="token", code="expired"
        ) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise ServiceError(_("This verification link is not valid."), field="token", code="invalid") from exc
    user = (
        User.objects.select_for_update()
        .filter(pk=data.get("u") if isinstance(data, dict) else None, is_active=True)
        .first()
    )
    if user is None or user.email != data.get("e"):
        raise ServiceError(_("This verification link is not valid."), field="token", code="invalid")
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        record_event(
            "auth.email_verified",
            actor=user,
            school=session_service.primary_school_of(user),
            target=user,
            changes={"email": user.email},
        )
    return user


@transaction.atomic
def resend_verification(*, email: str) -> None:
    """Queues a new link if an active, unverified account has this address; silent otherwise."""
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    pending = user if user is not None and user.email_verified_at is None else None
    record_event(
        "auth.verification_requested",
        target=pending,
        target_type="" if pending else "accounts.user",
        changes={"sent": pending is not None},
    )
    from accounts.tasks.sessions import send_verification_email

    transaction.on_commit(lambda: send_verification_email.delay(pending.pk if pending else None))


# --- password reset -------------------------------------------------------------------------


@transaction.atomic
def request_password_reset(*, email: str) -> None:
    """Queues a reset link if an active account with a usable password has this address."""
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    target = user if user is not None and user.has_usable_password() else None
    school = session_service.primary_school_of(target)  # a query on both paths (None finds nothing)
    record_event(
        "auth.password_reset_requested",
        school=school,
        target=target,
        target_type="" if target else "accounts.user",
        changes={"sent": target is not None},
    )
    from accounts.tasks.sessions import send_password_reset_email

    transaction.on_commit(lambda: send_password_reset_email.delay(target.pk if target else None))


def _validate_new_password(password: str, user: User, field: str = "new_password") -> None:
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({field: list(exc.messages)}) from exc


@transaction.atomic
def reset_password(*, uid: str, token: str, new_password: str) -> User:
    """Sets a new password from a reset link (uid + token, as in the emailed page link) and ends
    every session of the account."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
        user = User.objects.select_for_update().get(pk=pk, is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist) as exc:
        raise ServiceError(_("This reset link is invalid or has expired."), field="token", code="invalid") from exc
    if not default_token_generator.check_token(user, token):
        raise ServiceError(_("This reset link is invalid or has expired."), field="token", code="invalid")
    return complete_password_reset(user=user, new_password=new_password)


@transaction.atomic
def complete_password_reset(*, user: User, new_password: str) -> User:
    """The second half of a reset, for a caller that has already checked the link (the reset
    page does, in Django's view): the new password, every session ended, audit, notice."""
    _validate_new_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    school = session_service.primary_school_of(user)
    ended = session_service.end_all_sessions(user=user, reason=session_service.Reason.PASSWORD_RESET, school=school)
    record_event("auth.password_reset", school=school, target=user, changes={"ended_sessions": ended})
    _password_notice(user)
    return user


# --- password change ------------------------------------------------------------------------


@transaction.atomic
def change_password(
    *,
    user: User,
    current_password: str,
    new_password: str,
    end_other_sessions: bool = True,
    current_session_id: int | None = None,
) -> int:
    """Returns how many other sessions ended. With ``end_other_sessions`` every other session
    ends; without it, API sessions stay, but other *page* sessions still end — Django signs them
    out itself, since a page session is bound to the password hash."""
    if not user.check_password(current_password):
        raise ServiceError(_("Your current password is not correct."), field="current_password")
    _validate_new_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    school = session_service.primary_school_of(user)
    ended = session_service.revoke_other_sessions(
        user=user,
        keep_session_id=current_session_id,
        actor=user,
        reason=session_service.Reason.PASSWORD_CHANGED,
        kinds=None if end_other_sessions else ["web"],
        school=school,
    )
    record_event(
        "auth.password_changed",
        actor=user,
        school=school,
        target=user,
        changes={"end_other_sessions": end_other_sessions, "ended_sessions": ended},
    )
    _password_notice(user)
    return ended


def _password_notice(user: User) -> None:
    notify(
        user,
        "security.password_changed",
        _("Your password was changed"),
        _("If you did not do this, reset your password now and tell your school administrator."),
        url=reverse("password_reset"),
    )


# --- deactivation ---------------------------------------------------------------------------


@transaction.atomic
def deactivate_user(*, user: User, actor) -> int:
    """The account can no longer sign in; all its sessions (web and API) end and all its refresh
    tokens are blacklisted at once. Returns how many sessions ended."""
    school = session_service.primary_school_of(user)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    ended = session_service.end_all_sessions(
        user=user, actor=actor, reason=session_service.Reason.DEACTIVATED, school=school
    )
    record_event(
        "auth.user_deactivated",
        actor=actor,
        school=school,
        target=user,
        changes={"is_active": {"before": True, "after": False}, "ended_sessions": ended},
    )
    return ended
