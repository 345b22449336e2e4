"""Accounts, profiles, schools and memberships."""

from django.contrib.auth import password_validation
from django.db import IntegrityError, transaction

from accounts.models import School, User
from accounts.services.audit import record_event
from accounts.services.auth import queue_verification_email
from accounts.tasks.sessions import send_account_exists_email


@transaction.atomic
def register_user(*, email: str, password: str, first_name: str = "", last_name: str = "") -> User | None:
    """Creates an account with no school access (access comes from a membership a school grants)
    and emails it a verification link.

    Returns None when the address is already registered: callers answer exactly as for a new
    account, so registration never reveals who has an account, and the owner of the address gets
    an email saying someone tried. Both paths hash the password and write one audit row."""
    email = User.objects.normalize_email(email).lower()
    candidate = User(email=email, first_name=first_name, last_name=last_name)
    password_validation.validate_password(password, user=candidate)
    candidate.set_password(password)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                candidate.save()
        except IntegrityError:  # registered concurrently: the same as already registered
            existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        record_event("auth.registration_duplicate", target=existing, changes={})
        transaction.on_commit(lambda: send_account_exists_email.delay(existing.pk))
        return None
    record_event("auth.registered", target=candidate, changes={"email": email})
    queue_verification_email(candidate)
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


@transaction.atomic
def update_school(*, school: School, **fields) -> School:
    for name, value in fields.items():
        setattr(school, name, value)
    school.full_clean()
    school.save(update_fields=list(fields) or None)
    return school
