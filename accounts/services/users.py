"""Accounts, profiles, schools and memberships."""

from django.contrib.auth import password_validation
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import School, User
from accounts.services.errors import ServiceError


@transaction.atomic
def register_user(*, email: str, password: str, first_name: str = "", last_name: str = "") -> User:
    """Creates an account with no school access; access comes from a membership a school grants."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ServiceError(_("An account with this email cannot be created."), field="email")
    candidate = User(email=email, first_name=first_name, last_name=last_name)
    password_validation.validate_password(password, user=candidate)
    candidate.set_password(password)
    candidate.save()
    return candidate


@transaction.atomic
def update_profile(*, user: User, first_name: str | None = None, last_name: str | None = None) -> User:
    changed = []
    for name, value in (("first_name", first_name), ("last_name", last_name)):
        if value is not None and getattr(user, name) != value:
            setattr(user, name, value)
            changed.append(name)
    if changed:
        user.save(update_fields=changed)
    return user


def logout_refresh_token(*, user: User, refresh: str) -> None:
    """Blacklists one refresh token of this user, ending that API sign-in."""
    try:
        token = RefreshToken(refresh)
    except TokenError as exc:
        raise ServiceError(_("Token is invalid or expired."), field="refresh", code="token_not_valid") from exc
    if str(token.get("user_id")) != str(user.pk):
        raise ServiceError(_("Token is invalid or expired."), field="refresh", code="token_not_valid")
    token.blacklist()


@transaction.atomic
def update_school(*, school: School, **fields) -> School:
    for name, value in fields.items():
        setattr(school, name, value)
    school.full_clean()
    school.save(update_fields=list(fields) or None)
    return school
