"""Celery tasks: notification emails and the daily digest.

Both render in the recipient's language (``translation.override``) and are safe to run twice:
a notification already emailed, or already in a digest, is not sent again.
"""

import datetime
from collections import defaultdict

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone


def _absolute(url: str) -> str:
    return settings.SITE_URL + url if url.startswith("/") else url


def _render(template: str, context: dict) -> tuple[str, str]:
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"accounts/preferences/email/{template}_subject.txt", context).split())
    body = render_to_string(f"accounts/preferences/email/{template}_email.txt", context)
    return subject, body


@shared_task(name="accounts.preferences.send_notification_email")
def send_notification_email(notification_id: int) -> bool:
    from accounts.models import Notification
    from accounts.services.notification_events import event_type
    from accounts.services.preferences import user_language

    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None or not notification.user.is_active:
        return False
    user = notification.user
    with user_language(user):
        event = event_type(notification.kind)
        subject, body = _render(
            "notification",
            {
                "user": user,
                "notification": notification,
                "link": _absolute(notification.url),
                "security": event.mandatory_in_app,
                "settings_url": _absolute(reverse("settings")),
            },
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now(), email_held=False)
    return True


def digest_candidates(now: datetime.datetime):
    """Rows a digest may carry: held emails (any age), and unread, not-yet-emailed in-app rows of
    the last day; never a row already emailed or already in a digest."""
    from accounts.models import Notification

    since = now - datetime.timedelta(days=1)
    return (
        Notification.objects.filter(emailed_at__isnull=True, digest_sent_at__isnull=True, created_at__lte=now)
        .filter(Q(email_held=True) | Q(in_app=True, read_at__isnull=True, created_at__gte=since))
        .select_related("user")
        .order_by("user_id", "created_at")
    )


@shared_task(name="accounts.preferences.send_daily_digests")
def send_daily_digests() -> dict:
    """One email per user: their held emails, plus — when they chose the daily digest — their
    unread, not-yet-emailed notifications of the last day. Returns counts."""
    from accounts.models import Notification
    from accounts.services.preferences import effective_preferences, user_language

    now = timezone.now()
    by_user = defaultdict(list)
    for notification in digest_candidates(now):
        by_user[notification.user].append(notification)
    sent = 0
    included = 0
    for user, rows in by_user.items():
        if not user.is_active or not user.email:
            continue
        if not effective_preferences(user)["daily_digest"]:
            rows = [row for row in rows if row.email_held]
        if not rows:
            continue
        with user_language(user):
            subject, body = _render(
                "digest",
                {
                    "user": user,
                    "notifications": [(row, _absolute(row.url)) for row in rows],
                    "count": len(rows),
                    "list_url": _absolute(reverse("notifications")),
                    "settings_url": _absolute(reverse("settings")),
                },
            )
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(digest_sent_at=now, email_held=False)
        sent += 1
        included += len(rows)
    return {"emails": sent, "notifications": included}
