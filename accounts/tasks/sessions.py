"""Celery tasks: sign-in sessions and the emails of the authentication flows.

Each takes ids, is queued with ``transaction.on_commit`` by a service, and does nothing harmful
when run twice. The email tasks accept ``None`` (no such account) and then do nothing: the service
queued them anyway so that a request costs the same whether or not the address is registered.
Links start with ``SITE_URL``, never with the Host header of the request.
"""

from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def _active_user(user_id):
    from accounts.models import User

    if user_id is None:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def _send(user, template: str, context: dict) -> None:
    context = {"user": user, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"registration/{template}_subject.txt", context).split())
    body = render_to_string(f"registration/{template}_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@shared_task(name="accounts.send_verification_email")
def send_verification_email(user_id: int | None) -> bool:
    from accounts.services.auth import verification_url

    user = _active_user(user_id)
    if user is None or user.email_verified_at is not None:
        return False
    hours = int(settings.EMAIL_VERIFICATION_MAX_AGE.total_seconds() // 3600)
    _send(
        user,
        "verify",
        {
            "verify_url": verification_url(user),
            "hours": hours,
            "resend_url": settings.SITE_URL + reverse("resend-verification"),
        },
    )
    return True


@shared_task(name="accounts.send_account_exists_email")
def send_account_exists_email(user_id: int | None) -> bool:
    user = _active_user(user_id)
    if user is None:
        return False
    _send(
        user,
        "account_exists",
        {
            "login_url": settings.SITE_URL + reverse("login"),
            "reset_url": settings.SITE_URL + reverse("password_reset"),
        },
    )
    return True


@shared_task(name="accounts.send_password_reset_email")
def send_password_reset_email(user_id: int | None) -> bool:
    """Uses the same template and link as the password reset page."""
    user = _active_user(user_id)
    if user is None or not user.has_usable_password():
        return False
    site = urlsplit(settings.SITE_URL)
    context = {
        "email": user.email,
        "domain": site.netloc,
        "site_name": site.netloc,
        "protocol": site.scheme,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "user": user,
    }
    subject = " ".join(render_to_string("registration/password_reset_subject.txt", context).split())
    body = render_to_string("registration/password_reset_email.html", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


@shared_task(name="accounts.cleanup_sessions")
def cleanup_sessions() -> dict:
    from accounts.services.sessions import cleanup_sessions as cleanup

    return cleanup()
